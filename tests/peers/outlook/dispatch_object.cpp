#include "dispatch_object.h"

#include <cwctype>

#include "standin_modes.h"

namespace standin {

namespace {

std::atomic<long> g_locks{0};
DWORD g_main_thread = GetCurrentThreadId();

std::wstring lower(const wchar_t *text) {
   std::wstring lowered;
   for (; *text; ++text) lowered.push_back(static_cast<wchar_t>(std::towlower(*text)));
   return lowered;
}

}  // namespace

void lock_server() { ++g_locks; }
void unlock_server() {
   if (--g_locks == 0) PostThreadMessageW(g_main_thread, WM_QUIT, 0, 0);
}

Arguments::Arguments(const DISPPARAMS *parameters) {
   if (!parameters) return;
   for (UINT i = parameters->cArgs; i > 0; --i) values_.push_back(&parameters->rgvarg[i - 1]);
}

const VARIANT &Arguments::at(std::size_t index) const {
   if (index >= values_.size()) throw Raised{DISP_E_PARAMNOTOPTIONAL, L"A required argument is missing."};
   const VARIANT *value = values_[index];
   while (value->vt == (VT_BYREF | VT_VARIANT)) value = value->pvarVal;
   return *value;
}

bool Arguments::given(std::size_t index) const {
   if (index >= values_.size()) return false;
   const VARIANT &value = at(index);
   return !(value.vt == VT_ERROR && value.scode == DISP_E_PARAMNOTFOUND) && value.vt != VT_EMPTY;
}

namespace {

VARIANT changed(const VARIANT &value, VARTYPE type) {
   VARIANT converted;
   VariantInit(&converted);
   if (FAILED(VariantChangeType(&converted, const_cast<VARIANT *>(&value), 0, type)))
      throw Raised{DISP_E_TYPEMISMATCH, L"Type mismatch."};
   return converted;
}

}  // namespace

std::wstring Arguments::text(std::size_t index) const {
   VARIANT converted = changed(at(index), VT_BSTR);
   std::wstring text(converted.bstrVal ? converted.bstrVal : L"",
                     converted.bstrVal ? SysStringLen(converted.bstrVal) : 0);
   VariantClear(&converted);
   return text;
}

long Arguments::number(std::size_t index) const { return changed(at(index), VT_I4).lVal; }

bool Arguments::boolean(std::size_t index) const {
   return changed(at(index), VT_BOOL).boolVal != VARIANT_FALSE;
}

IDispatch *Arguments::object(std::size_t index) const {
   const VARIANT &value = at(index);
   if (value.vt == VT_DISPATCH && value.pdispVal) return value.pdispVal;
   throw Raised{DISP_E_TYPEMISMATCH, L"Type mismatch."};
}

DispatchObject::DispatchObject(std::vector<Member> members) : members_(std::move(members)) { lock_server(); }
DispatchObject::~DispatchObject() { unlock_server(); }

HRESULT STDMETHODCALLTYPE DispatchObject::QueryInterface(REFIID iid, void **object) {
   if (iid == IID_IUnknown || iid == IID_IDispatch) {
      *object = static_cast<IDispatch *>(this);
      AddRef();
      return S_OK;
   }
   *object = nullptr;
   return E_NOINTERFACE;
}

ULONG STDMETHODCALLTYPE DispatchObject::AddRef() { return ++references_; }

ULONG STDMETHODCALLTYPE DispatchObject::Release() {
   const ULONG left = --references_;
   if (left == 0) delete this;
   return left;
}

HRESULT STDMETHODCALLTYPE DispatchObject::GetTypeInfoCount(UINT *count) {
   *count = 0;
   return S_OK;
}

HRESULT STDMETHODCALLTYPE DispatchObject::GetTypeInfo(UINT, LCID, ITypeInfo **info) {
   *info = nullptr;
   return DISP_E_BADINDEX;
}

HRESULT STDMETHODCALLTYPE DispatchObject::GetIDsOfNames(REFIID, LPOLESTR *names, UINT count, LCID,
                                                        DISPID *ids) {
   if (busy_now()) return RPC_E_CALL_REJECTED;
   HRESULT outcome = S_OK;
   for (UINT i = 0; i < count; ++i) {
      ids[i] = DISPID_UNKNOWN;
      if (i > 0) continue;  // named arguments: none are used
      const std::wstring wanted = lower(names[i]);
      for (std::size_t m = 0; m < members_.size(); ++m)
         if (lower(members_[m].name) == wanted) ids[i] = static_cast<DISPID>(m + 1);
      if (ids[i] == DISPID_UNKNOWN) outcome = DISP_E_UNKNOWNNAME;
   }
   return outcome;
}

HRESULT STDMETHODCALLTYPE DispatchObject::Invoke(DISPID id, REFIID, LCID, WORD flags, DISPPARAMS *parameters,
                                                 VARIANT *result, EXCEPINFO *exception, UINT *) {
   if (busy_now()) return RPC_E_CALL_REJECTED;
   if (id < 1 || static_cast<std::size_t>(id) > members_.size()) return DISP_E_MEMBERNOTFOUND;
   const Member &member = members_[static_cast<std::size_t>(id) - 1];
   const bool as_property = (flags & DISPATCH_PROPERTYGET) != 0;
   const bool as_method = (flags & DISPATCH_METHOD) != 0;
   if ((member.kind == Kind::property && !as_property && !(flags & DISPATCH_PROPERTYPUT)) ||
       (member.kind == Kind::method && !as_method))
      return DISP_E_MEMBERNOTFOUND;
   VARIANT ignored;
   VariantInit(&ignored);
   VARIANT &out = result ? *result : ignored;
   VariantInit(&out);
   try {
      invoke(std::wstring(member.name) + ((flags & DISPATCH_PROPERTYPUT) ? L"=" : L""), Arguments(parameters),
             out);
      if (!result) VariantClear(&ignored);
      return S_OK;
   } catch (const Refused &refused) {
      return refused.hr;
   } catch (const Raised &raised) {
      if (exception) {
         *exception = EXCEPINFO{};
         exception->scode = raised.scode;
         exception->bstrSource = SysAllocString(L"Microsoft Outlook");
         exception->bstrDescription = SysAllocString(raised.description.c_str());
      }
      return DISP_E_EXCEPTION;
   } catch (...) {
      return E_UNEXPECTED;
   }
}

void set_text(VARIANT &result, const std::wstring &text) {
   result.vt = VT_BSTR;
   result.bstrVal = SysAllocStringLen(text.data(), static_cast<UINT>(text.size()));
}
void set_number(VARIANT &result, long value) {
   result.vt = VT_I4;
   result.lVal = value;
}
void set_boolean(VARIANT &result, bool value) {
   result.vt = VT_BOOL;
   result.boolVal = value ? VARIANT_TRUE : VARIANT_FALSE;
}
void set_date(VARIANT &result, double date) {
   result.vt = VT_DATE;
   result.date = date;
}
void set_object(VARIANT &result, DispatchObject *taken) {
   result.vt = VT_DISPATCH;
   result.pdispVal = taken;
}

}  // namespace standin
