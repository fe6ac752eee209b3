#include "standin_events.h"

#include <ocidl.h>
#include <olectl.h>

#include <atomic>
#include <deque>
#include <string>
#include <vector>

#include "dispatch_object.h"
#include "standin_modes.h"
#include "standin_objects.h"

namespace standin {

namespace {

// {00063077-0000-0000-C000-000000000046}: ItemsEvents.
const IID kItemsEvents = {0x00063077, 0x0000, 0x0000, {0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}};
constexpr DISPID kItemAdd = 0xF001;

struct Advice {
   FolderNode *folder;
   DWORD cookie;
   IDispatch *sink;  // one reference
};
std::vector<Advice> g_advised;
DWORD g_next_cookie = 1;
std::deque<std::shared_ptr<MessageNode>> g_pending;
bool g_delivery_armed = false;

void CALLBACK fire_pending(HWND, UINT, UINT_PTR timer, DWORD) {
   KillTimer(nullptr, timer);
   std::deque<std::shared_ptr<MessageNode>> pending;
   pending.swap(g_pending);
   for (const auto &message : pending) {
      std::vector<IDispatch *> sinks;
      for (const Advice &advice : g_advised)
         if (advice.folder == message->folder) {
            advice.sink->AddRef();
            sinks.push_back(advice.sink);
         }
      for (IDispatch *sink : sinks) {
         VARIANT item;
         VariantInit(&item);
         set_object(item, new_mail_item(message));
         DISPPARAMS parameters{&item, nullptr, 1, 0};
         sink->Invoke(kItemAdd, IID_NULL, LOCALE_USER_DEFAULT, DISPATCH_METHOD, &parameters, nullptr, nullptr,
                      nullptr);  // a client gone away is its own concern, as in Outlook
         VariantClear(&item);
         sink->Release();
      }
   }
}

// RPA_OUTLOOK_STANDIN_DELIVER: the message delivered into `folder` after the delay.
void arm_delivery(FolderNode &folder) {
   const std::vector<std::wstring> parts = split(environment(L"RPA_OUTLOOK_STANDIN_DELIVER"), L'|');
   if (g_delivery_armed || parts.size() != 2) return;
   g_delivery_armed = true;
   static FolderNode *target = nullptr;
   static std::wstring file;
   target = &folder;
   file = parts[1];
   const UINT delay = static_cast<UINT>(std::wcstol(parts[0].c_str(), nullptr, 10) * 1000);
   SetTimer(nullptr, 0, delay, [](HWND, UINT, UINT_PTR timer, DWORD) {
      KillTimer(nullptr, timer);
      item_added(deliver_message(*target, file));
   });
}

// COM objects are released through Release, never deleted through the interface.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"

// Reference counting shared by the two small objects below; each keeps the server alive.
template <class Interface>
class Counted : public Interface {
 public:
   Counted() { lock_server(); }
   virtual ~Counted() { unlock_server(); }
   ULONG STDMETHODCALLTYPE AddRef() override { return ++references_; }
   ULONG STDMETHODCALLTYPE Release() override {
      const ULONG left = --references_;
      if (left == 0) delete this;
      return left;
   }

 private:
   std::atomic<ULONG> references_{1};
};

class ConnectionPoint final : public Counted<IConnectionPoint> {
 public:
   ConnectionPoint(FolderNode &folder, IConnectionPointContainer *container)
       : folder_(folder), container_(container) {
      container_->AddRef();
   }
   ~ConnectionPoint() override { container_->Release(); }

   HRESULT STDMETHODCALLTYPE QueryInterface(REFIID iid, void **object) override {
      if (iid == IID_IUnknown || iid == IID_IConnectionPoint) {
         *object = static_cast<IConnectionPoint *>(this);
         AddRef();
         return S_OK;
      }
      *object = nullptr;
      return E_NOINTERFACE;
   }
   HRESULT STDMETHODCALLTYPE GetConnectionInterface(IID *iid) override {
      *iid = kItemsEvents;
      return S_OK;
   }
   HRESULT STDMETHODCALLTYPE GetConnectionPointContainer(IConnectionPointContainer **container) override {
      container_->AddRef();
      *container = container_;
      return S_OK;
   }
   HRESULT STDMETHODCALLTYPE Advise(IUnknown *sink, DWORD *cookie) override {
      if (!sink || !cookie) return E_POINTER;
      IDispatch *dispatch = nullptr;
      if (FAILED(sink->QueryInterface(IID_IDispatch, reinterpret_cast<void **>(&dispatch))))
         return CONNECT_E_CANNOTCONNECT;
      *cookie = g_next_cookie++;
      g_advised.push_back(Advice{&folder_, *cookie, dispatch});
      return S_OK;
   }
   HRESULT STDMETHODCALLTYPE Unadvise(DWORD cookie) override {
      for (auto at = g_advised.begin(); at != g_advised.end(); ++at)
         if (at->cookie == cookie) {
            IDispatch *sink = at->sink;
            g_advised.erase(at);
            sink->Release();
            return S_OK;
         }
      return CONNECT_E_NOCONNECTION;
   }
   HRESULT STDMETHODCALLTYPE EnumConnections(IEnumConnections **) override { return E_NOTIMPL; }

 private:
   FolderNode &folder_;
   IConnectionPointContainer *container_;
};

// The Items' IConnectionPointContainer, a tear-off: IUnknown is the Items' own.
class Container final : public Counted<IConnectionPointContainer> {
 public:
   Container(FolderNode &folder, IDispatch *owner) : folder_(folder), owner_(owner) { owner_->AddRef(); }
   ~Container() override { owner_->Release(); }

   HRESULT STDMETHODCALLTYPE QueryInterface(REFIID iid, void **object) override {
      if (iid == IID_IConnectionPointContainer) {
         *object = static_cast<IConnectionPointContainer *>(this);
         AddRef();
         return S_OK;
      }
      return owner_->QueryInterface(iid, object);
   }
   HRESULT STDMETHODCALLTYPE EnumConnectionPoints(IEnumConnectionPoints **) override { return E_NOTIMPL; }
   HRESULT STDMETHODCALLTYPE FindConnectionPoint(REFIID iid, IConnectionPoint **point) override {
      *point = nullptr;
      if (iid != kItemsEvents) return CONNECT_E_NOCONNECTION;
      *point = new ConnectionPoint(folder_, this);
      return S_OK;
   }

 private:
   FolderNode &folder_;
   IDispatch *owner_;
};
#pragma GCC diagnostic pop

}  // namespace

HRESULT offer_items_events(FolderNode &folder, IDispatch *owner, void **object) {
   *object = nullptr;
   arm_delivery(folder);
   if (environment(L"RPA_OUTLOOK_STANDIN_MODE") == L"no-events") return E_NOINTERFACE;
   *object = static_cast<IConnectionPointContainer *>(new Container(folder, owner));
   return S_OK;
}

void item_added(const std::shared_ptr<MessageNode> &message) {
   if (!message->folder) return;
   g_pending.push_back(message);
   SetTimer(nullptr, 0, 0, fire_pending);
}

}  // namespace standin
