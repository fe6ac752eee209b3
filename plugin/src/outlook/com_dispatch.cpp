// outlook/com_dispatch.h: IDispatch calls by name, VARIANTs, busy retries.
#include "outlook/com_dispatch.h"

#include <thread>
#include <utility>

#include "rpa_common/utf16.h"

namespace email::com {

namespace {

// The window of the task running on this thread. Trivially destructible on purpose: MinGW keeps
// thread_local in emulated TLS, which must not own anything with a destructor.
struct Window {
   bool set = false;
   std::chrono::steady_clock::time_point deadline{};
   const std::atomic<bool> *abandoned = nullptr;
};
thread_local Window t_window;

std::string text_of(BSTR text) {
   return text ? rpa::narrow(std::wstring_view(text, SysStringLen(text))) : "";
}

std::string describe(HRESULT hr) {
   std::string text = rpa::windows_error_text(static_cast<unsigned long>(hr));
   return text;
}

}  // namespace

Error::Error(HRESULT hr, std::string member, std::string description)
    : std::runtime_error(member + ": " + description),
      hr_(hr),
      member_(std::move(member)),
      description_(std::move(description)) {}

bool is_busy(HRESULT hr) { return hr == RPC_E_CALL_REJECTED || hr == RPC_E_SERVERCALL_RETRYLATER; }

RetryWindow::RetryWindow(std::chrono::steady_clock::time_point deadline, const std::atomic<bool> *abandoned) {
   t_window = Window{true, deadline, abandoned};
}

RetryWindow::~RetryWindow() { t_window = Window{}; }

bool RetryWindow::open() {
   if (!t_window.set) return false;
   if (t_window.abandoned && t_window.abandoned->load()) return false;
   return std::chrono::steady_clock::now() < t_window.deadline;
}

bool RetryWindow::wait_before_retry() {
   if (!open()) return false;
   const auto left = t_window.deadline - std::chrono::steady_clock::now();
   std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(kBusyRetry, left));
   return open();
}

// --- Variant ---------------------------------------------------------------------------------------

Variant::Variant() { VariantInit(&value_); }
Variant::~Variant() { VariantClear(&value_); }
Variant::Variant(Variant &&other) noexcept : value_(other.value_) { VariantInit(&other.value_); }
Variant &Variant::operator=(Variant &&other) noexcept {
   if (this != &other) {
      VariantClear(&value_);
      value_ = other.value_;
      VariantInit(&other.value_);
   }
   return *this;
}

Variant::Variant(const Variant &other) {
   VariantInit(&value_);
   const HRESULT hr = VariantCopy(&value_, const_cast<VARIANT *>(&other.value_));
   if (FAILED(hr)) throw Error(hr, "VariantCopy", describe(hr));
}
Variant &Variant::operator=(const Variant &other) {
   if (this != &other) {
      Variant copy(other);
      *this = std::move(copy);
   }
   return *this;
}

Variant Variant::text(const std::string &utf8) {
   Variant made;
   const std::wstring wide = rpa::widen(utf8);
   made.value_.vt = VT_BSTR;
   made.value_.bstrVal = SysAllocStringLen(wide.data(), static_cast<UINT>(wide.size()));
   if (!made.value_.bstrVal) throw Error(E_OUTOFMEMORY, "SysAllocStringLen", describe(E_OUTOFMEMORY));
   return made;
}

Variant Variant::number(long value) {
   Variant made;
   made.value_.vt = VT_I4;
   made.value_.lVal = value;
   return made;
}

Variant Variant::boolean(bool value) {
   Variant made;
   made.value_.vt = VT_BOOL;
   made.value_.boolVal = value ? VARIANT_TRUE : VARIANT_FALSE;
   return made;
}

Variant Variant::dispatch(const Object &object) {
   Variant made;
   made.value_.vt = VT_DISPATCH;
   made.value_.pdispVal = object.raw();
   if (made.value_.pdispVal) made.value_.pdispVal->AddRef();
   return made;
}

namespace {

Variant changed(const VARIANT &from, VARTYPE to, const char *member) {
   Variant converted;
   const HRESULT hr = VariantChangeType(converted.get(), const_cast<VARIANT *>(&from), 0, to);
   if (FAILED(hr)) throw Error(hr, member, "the value has an unexpected type (" + describe(hr) + ")");
   return converted;
}

}  // namespace

std::string Variant::as_text(const char *member) const {
   if (empty()) return "";
   if (value_.vt == VT_BSTR) return text_of(value_.bstrVal);
   return text_of(changed(value_, VT_BSTR, member).get()->bstrVal);
}

long long Variant::as_number(const char *member) const {
   if (empty()) return 0;
   return changed(value_, VT_I8, member).get()->llVal;
}

bool Variant::as_boolean(const char *member) const {
   if (empty()) return false;
   return changed(value_, VT_BOOL, member).get()->boolVal != VARIANT_FALSE;
}

double Variant::as_date(const char *member) const {
   if (empty()) throw Error(DISP_E_TYPEMISMATCH, member, "no date was returned");
   return changed(value_, VT_DATE, member).get()->date;
}

Object Variant::object(const char *member) const {
   if (value_.vt == VT_DISPATCH && value_.pdispVal) {
      value_.pdispVal->AddRef();
      return Object(value_.pdispVal);
   }
   if (value_.vt == VT_UNKNOWN && value_.punkVal) {
      IDispatch *dispatch = nullptr;
      if (SUCCEEDED(value_.punkVal->QueryInterface(IID_IDispatch, reinterpret_cast<void **>(&dispatch))))
         return Object(dispatch);
   }
   throw Error(DISP_E_TYPEMISMATCH, member, "an object was expected and none was returned");
}

// --- Object ----------------------------------------------------------------------------------------

Object::~Object() {
   if (dispatch_) dispatch_->Release();
}
Object::Object(const Object &other) : dispatch_(other.dispatch_) {
   if (dispatch_) dispatch_->AddRef();
}
Object &Object::operator=(const Object &other) {
   if (this != &other) {
      if (other.dispatch_) other.dispatch_->AddRef();
      if (dispatch_) dispatch_->Release();
      dispatch_ = other.dispatch_;
   }
   return *this;
}
Object::Object(Object &&other) noexcept : dispatch_(std::exchange(other.dispatch_, nullptr)) {}
Object &Object::operator=(Object &&other) noexcept {
   if (this != &other) {
      if (dispatch_) dispatch_->Release();
      dispatch_ = std::exchange(other.dispatch_, nullptr);
   }
   return *this;
}

Variant Object::get(const char *property, std::vector<Variant> arguments) const {
   return invoke(property, DISPATCH_PROPERTYGET, arguments);
}

Variant Object::call(const char *method, std::vector<Variant> arguments) const {
   return invoke(method, DISPATCH_METHOD | DISPATCH_PROPERTYGET, arguments);
}

void Object::put(const char *property, Variant value) const {
   std::vector<Variant> arguments;
   arguments.push_back(std::move(value));
   invoke(property, DISPATCH_PROPERTYPUT, arguments, true);
}

Variant Object::invoke(const char *member, WORD flags, std::vector<Variant> &arguments, bool put) const {
   if (!dispatch_) throw Error(E_POINTER, member, "called on no object");
   std::wstring name = rpa::widen(member);
   LPOLESTR names[] = {name.data()};
   DISPID id = DISPID_UNKNOWN;
   HRESULT hr;
   while (is_busy(hr = dispatch_->GetIDsOfNames(IID_NULL, names, 1, LOCALE_USER_DEFAULT, &id)) &&
          RetryWindow::wait_before_retry()) {}
   if (FAILED(hr))
      throw Error(hr, member,
                  hr == DISP_E_UNKNOWNNAME ? "the object has no member of that name" : describe(hr));

   // IDispatch takes the arguments last first.
   std::vector<VARIANTARG> reversed;
   reversed.reserve(arguments.size());
   for (auto argument = arguments.rbegin(); argument != arguments.rend(); ++argument)
      reversed.push_back(*argument->get());  // borrowed: `arguments` keeps ownership
   // A property put names its value DISPID_PROPERTYPUT, as Automation requires.
   DISPID named_put = DISPID_PROPERTYPUT;
   DISPPARAMS parameters{reversed.data(), put ? &named_put : nullptr, static_cast<UINT>(reversed.size()),
                         put ? 1u : 0u};
   for (;;) {
      Variant result;
      EXCEPINFO exception{};
      UINT wrong_argument = 0;
      hr = dispatch_->Invoke(id, IID_NULL, LOCALE_USER_DEFAULT, flags, &parameters,
                             put ? nullptr : result.get(), &exception, &wrong_argument);
      if (SUCCEEDED(hr)) return result;
      if (hr == DISP_E_EXCEPTION) {
         if (exception.pfnDeferredFillIn) exception.pfnDeferredFillIn(&exception);
         const HRESULT code =
             exception.scode != 0
                 ? exception.scode
                 : (exception.wCode != 0 ? MAKE_HRESULT(1, FACILITY_ITF, exception.wCode) : hr);
         std::string description = text_of(exception.bstrDescription);
         SysFreeString(exception.bstrDescription);
         SysFreeString(exception.bstrSource);
         SysFreeString(exception.bstrHelpFile);
         if (is_busy(code) && RetryWindow::wait_before_retry()) continue;
         throw Error(code, member, description.empty() ? describe(code) : description);
      }
      if (is_busy(hr) && RetryWindow::wait_before_retry()) continue;
      throw Error(hr, member, describe(hr));
   }
}

Object create_local_server(const wchar_t *progid) {
   CLSID clsid{};
   HRESULT hr = CLSIDFromProgID(progid, &clsid);
   if (FAILED(hr)) throw Error(hr, rpa::narrow(progid), describe(hr));
   IDispatch *dispatch = nullptr;
   while (is_busy(hr = CoCreateInstance(clsid, nullptr, CLSCTX_LOCAL_SERVER, IID_IDispatch,
                                        reinterpret_cast<void **>(&dispatch))) &&
          RetryWindow::wait_before_retry()) {}
   if (FAILED(hr)) throw Error(hr, rpa::narrow(progid), describe(hr));
   return Object(dispatch);
}

bool progid_registered(const wchar_t *progid) {
   CLSID clsid{};
   return SUCCEEDED(CLSIDFromProgID(progid, &clsid));
}

}  // namespace email::com
