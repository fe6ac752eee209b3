// outlook-standin.exe: a stand-in for classic Outlook's COM server, for the tests under Wine (there
// is no Outlook here). Registered under Outlook's own ProgID and CLSID as a LocalServer32 by
// register.sh; COM starts it with -Embedding, as it starts OUTLOOK.EXE. It registers its class
// object, pumps messages (an STA, as Outlook's object model is), rejects calls while "busy", and
// ends when the last object a client holds is released.
#include <windows.h>
#include <objbase.h>

#include "dispatch_object.h"
#include "standin_modes.h"
#include "standin_objects.h"
#include "standin_world.h"

namespace {

// {0006F03A-0000-0000-C000-000000000046}: Outlook.Application's CLSID.
const CLSID kOutlookApplication = {
    0x0006F03A, 0x0000, 0x0000, {0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}};

// COM objects are released through Release, never deleted through the interface.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class Factory final : public IClassFactory {
 public:
   HRESULT STDMETHODCALLTYPE QueryInterface(REFIID iid, void **object) override {
      if (iid == IID_IUnknown || iid == IID_IClassFactory) {
         *object = static_cast<IClassFactory *>(this);
         return S_OK;
      }
      *object = nullptr;
      return E_NOINTERFACE;
   }
   ULONG STDMETHODCALLTYPE AddRef() override { return 2; }
   ULONG STDMETHODCALLTYPE Release() override { return 1; }
   HRESULT STDMETHODCALLTYPE CreateInstance(IUnknown *outer, REFIID iid, void **object) override {
      *object = nullptr;
      if (outer) return CLASS_E_NOAGGREGATION;
      if (standin::busy_now()) return RPC_E_CALL_REJECTED;
      standin::DispatchObject *application = standin::new_application();
      const HRESULT hr = application->QueryInterface(iid, object);
      application->Release();
      return hr;
   }
   HRESULT STDMETHODCALLTYPE LockServer(BOOL lock) override {
      if (lock)
         standin::lock_server();
      else
         standin::unlock_server();
      return S_OK;
   }
};

// Rejects incoming calls while busy, as Outlook does with a modal dialog open.
class BusyFilter final : public IMessageFilter {
 public:
   HRESULT STDMETHODCALLTYPE QueryInterface(REFIID iid, void **object) override {
      if (iid == IID_IUnknown || iid == IID_IMessageFilter) {
         *object = static_cast<IMessageFilter *>(this);
         return S_OK;
      }
      *object = nullptr;
      return E_NOINTERFACE;
   }
   ULONG STDMETHODCALLTYPE AddRef() override { return 2; }
   ULONG STDMETHODCALLTYPE Release() override { return 1; }
   DWORD STDMETHODCALLTYPE HandleInComingCall(DWORD, HTASK, DWORD, LPINTERFACEINFO) override {
      return standin::busy_now() ? SERVERCALL_RETRYLATER : SERVERCALL_ISHANDLED;
   }
   DWORD STDMETHODCALLTYPE RetryRejectedCall(HTASK, DWORD, DWORD) override { return static_cast<DWORD>(-1); }
   DWORD STDMETHODCALLTYPE MessagePending(HTASK, DWORD, DWORD) override { return PENDINGMSG_WAITDEFPROCESS; }
};

Factory g_factory;
BusyFilter g_busy_filter;
#pragma GCC diagnostic pop

}  // namespace

int WINAPI wWinMain(HINSTANCE, HINSTANCE, LPWSTR, int) {
   if (FAILED(CoInitializeEx(nullptr, COINIT_APARTMENTTHREADED))) return 1;
   IMessageFilter *previous = nullptr;
   CoRegisterMessageFilter(&g_busy_filter, &previous);
   standin::world();  // reads the store before the first call
   DWORD registration = 0;
   standin::lock_server();  // until the first object exists, or the grace period ends
   if (FAILED(CoRegisterClassObject(kOutlookApplication, &g_factory, CLSCTX_LOCAL_SERVER, REGCLS_MULTIPLEUSE,
                                    &registration))) {
      CoUninitialize();
      return 2;
   }
   // The launch lock ends after 5 s: a server nobody uses does not stay.
   SetTimer(nullptr, 0, 5000, [](HWND, UINT, UINT_PTR timer, DWORD) {
      KillTimer(nullptr, timer);
      standin::unlock_server();
   });
   MSG message;
   while (GetMessageW(&message, nullptr, 0, 0) > 0) {
      TranslateMessage(&message);
      DispatchMessageW(&message);
   }
   CoRevokeClassObject(registration);
   CoUninitialize();
   return 0;
}
