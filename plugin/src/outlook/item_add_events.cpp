#include "outlook/item_add_events.h"

#include <atomic>

#include "rpa_common/utf16.h"

namespace email {

namespace {

// {00063077-0000-0000-C000-000000000046}: ItemsEvents.
const IID kItemsEvents = {0x00063077, 0x0000, 0x0000, {0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}};
constexpr DISPID kItemAdd = 0xF001;

// `what` failed with `hr`: said for the bot designer, with the system's text for `hr`.
com::Error refused(HRESULT hr, const char *member, const char *what) {
   return com::Error(hr, member,
                     std::string(what) + ": " + rpa::windows_error_text(static_cast<unsigned long>(hr)));
}

}  // namespace

// The sink Outlook calls: Invoke(ItemAdd) rings the signal; the other ItemsEvents (ItemChange,
// ItemRemove) are answered and ignored. Called on the session's STA thread only.
// COM objects are released through Release, never deleted through the interface.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class ItemAddSink final : public IDispatch {
 public:
   void ring_on(std::shared_ptr<ChangeSignal> signal) { signal_ = std::move(signal); }

   HRESULT STDMETHODCALLTYPE QueryInterface(REFIID iid, void **object) override {
      if (iid == IID_IUnknown || iid == IID_IDispatch || iid == kItemsEvents) {
         *object = static_cast<IDispatch *>(this);
         AddRef();
         return S_OK;
      }
      *object = nullptr;
      return E_NOINTERFACE;
   }
   ULONG STDMETHODCALLTYPE AddRef() override { return ++references_; }
   ULONG STDMETHODCALLTYPE Release() override {
      const ULONG left = --references_;
      if (left == 0) delete this;
      return left;
   }
   HRESULT STDMETHODCALLTYPE GetTypeInfoCount(UINT *count) override {
      if (count) *count = 0;
      return S_OK;
   }
   HRESULT STDMETHODCALLTYPE GetTypeInfo(UINT, LCID, ITypeInfo **info) override {
      if (info) *info = nullptr;
      return E_NOTIMPL;
   }
   HRESULT STDMETHODCALLTYPE GetIDsOfNames(REFIID, LPOLESTR *, UINT, LCID, DISPID *) override {
      return E_NOTIMPL;  // Outlook calls events by DISPID
   }
   HRESULT STDMETHODCALLTYPE Invoke(DISPID id, REFIID, LCID, WORD, DISPPARAMS *, VARIANT *result, EXCEPINFO *,
                                    UINT *) override {
      if (result) VariantInit(result);
      if (id == kItemAdd && signal_) signal_->ring();
      return S_OK;
   }

 private:
   ~ItemAddSink() = default;
   std::atomic<ULONG> references_{1};
   std::shared_ptr<ChangeSignal> signal_;
};
#pragma GCC diagnostic pop

ItemAddEvents::~ItemAddEvents() { unadvise(); }

bool ItemAddEvents::retarget(const std::string &folder_id, std::shared_ptr<ChangeSignal> &signal) {
   if (!sink_ || folder_id != folder_id_) return false;
   sink_->ring_on(std::move(signal));
   return true;
}

void ItemAddEvents::listen(const std::string &folder_id, const com::Object &items,
                           std::shared_ptr<ChangeSignal> signal) {
   unadvise();
   IConnectionPointContainer *container = nullptr;
   HRESULT hr =
       items.raw()->QueryInterface(IID_IConnectionPointContainer, reinterpret_cast<void **>(&container));
   if (FAILED(hr)) throw refused(hr, "IConnectionPointContainer", "the folder's Items offer no events");
   IConnectionPoint *point = nullptr;
   hr = container->FindConnectionPoint(kItemsEvents, &point);
   container->Release();
   if (FAILED(hr)) throw refused(hr, "FindConnectionPoint", "the folder's Items have no ItemsEvents");
   auto *sink = new ItemAddSink;
   sink->ring_on(std::move(signal));
   DWORD cookie = 0;
   hr = point->Advise(static_cast<IDispatch *>(sink), &cookie);
   if (FAILED(hr)) {
      point->Release();
      sink->Release();
      throw refused(hr, "Advise", "Outlook refused the event sink");
   }
   folder_id_ = folder_id;
   items_ = items;
   point_ = point;
   cookie_ = cookie;
   sink_ = sink;
}

void ItemAddEvents::unadvise() {
   if (point_) {
      point_->Unadvise(cookie_);  // Outlook gone: nothing left to end
      point_->Release();
   }
   if (sink_) {
      sink_->ring_on(nullptr);
      sink_->Release();
   }
   point_ = nullptr;
   sink_ = nullptr;
   cookie_ = 0;
   items_ = com::Object();
   folder_id_.clear();
}

}  // namespace email
