// Late-bound COM automation (IDispatch), the way VBScript and every RPA tool drive Outlook: members
// are found by name at run time (GetIDsOfNames), so the plugin needs no Outlook type library and
// works with every Outlook version that has the member. Windows only; used on an STA thread
// (outlook/sta_thread.h) that owns the objects.
//
//   com::Object outlook = com::create_local_server(L"Outlook.Application");
//   com::Object mapi = outlook.call("GetNamespace", {com::Variant::text("MAPI")}).object("GetNamespace");
//   std::string name = mapi.get("CurrentUser").object("CurrentUser").get("Name").as_text("Name");
//
// A failed call throws com::Error with its HRESULT and, where the server raised an exception
// (DISP_E_EXCEPTION), the server's own description and code. A call the server rejects because it
// is busy (RPC_E_CALL_REJECTED, RPC_E_SERVERCALL_RETRYLATER: Outlook with a modal dialog open) is
// tried again every kBusyRetry until the thread's call deadline (RetryWindow) has passed.
#pragma once

#include <windows.h>
#include <oleauto.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace email::com {

inline constexpr std::chrono::milliseconds kBusyRetry{100};

// A COM call that failed. hr(): the server's own code for DISP_E_EXCEPTION (EXCEPINFO's scode),
// else the HRESULT of the call. member(): "GetNamespace", for messages.
class Error : public std::runtime_error {
 public:
   Error(HRESULT hr, std::string member, std::string description);
   HRESULT hr() const { return hr_; }
   const std::string &member() const { return member_; }
   // What the server said (EXCEPINFO's bstrDescription), or the system's text for hr(); UTF-8.
   const std::string &description() const { return description_; }

 private:
   HRESULT hr_;
   std::string member_;
   std::string description_;
};

// Whether `hr` says the server was busy and the call may be tried again.
bool is_busy(HRESULT hr);

// The deadline and the "stop" flag of the call running on this STA thread: busy retries end at
// either. Set by StaThread around each task; without one, a busy call is not retried.
class RetryWindow {
 public:
   RetryWindow(std::chrono::steady_clock::time_point deadline, const std::atomic<bool> *abandoned);
   ~RetryWindow();
   RetryWindow(const RetryWindow &) = delete;
   RetryWindow &operator=(const RetryWindow &) = delete;
   // Whether a busy call may be tried again now (waits kBusyRetry first when it may).
   static bool wait_before_retry();
   // Whether the current task's caller still waits and has time left.
   static bool open();
};

class Object;

// An owned VARIANT.
class Variant {
 public:
   Variant();
   ~Variant();
   Variant(Variant &&other) noexcept;
   Variant &operator=(Variant &&other) noexcept;
   Variant(const Variant &other);  // VariantCopy: a BSTR copied, an object AddRef'd
   Variant &operator=(const Variant &other);

   static Variant text(const std::string &utf8);   // VT_BSTR
   static Variant number(long value);              // VT_I4
   static Variant boolean(bool value);             // VT_BOOL
   static Variant dispatch(const Object &object);  // VT_DISPATCH (AddRef'd)

   VARIANT *get() { return &value_; }
   const VARIANT *get() const { return &value_; }
   VARTYPE type() const { return value_.vt; }
   bool empty() const { return value_.vt == VT_EMPTY || value_.vt == VT_NULL; }

   // Conversions as VBScript makes them (VariantChangeType); throw Error(DISP_E_TYPEMISMATCH)
   // naming `member` when the value cannot be one.
   std::string as_text(const char *member = "value") const;
   long long as_number(const char *member = "value") const;
   bool as_boolean(const char *member = "value") const;
   // An OLE Automation date (VT_DATE: days since 1899-12-30, in the local time Outlook shows).
   double as_date(const char *member = "value") const;
   Object object(const char *member = "value") const;  // VT_DISPATCH (or VT_UNKNOWN that gives one)

 private:
   VARIANT value_;
};

// An owned IDispatch.
class Object {
 public:
   Object() = default;
   explicit Object(IDispatch *taken) : dispatch_(taken) {}  // takes the reference
   ~Object();
   Object(const Object &other);
   Object &operator=(const Object &other);
   Object(Object &&other) noexcept;
   Object &operator=(Object &&other) noexcept;

   explicit operator bool() const { return dispatch_ != nullptr; }
   IDispatch *raw() const { return dispatch_; }

   // DISPATCH_PROPERTYGET, with arguments for indexed properties (Folders.Item("Inbox")).
   Variant get(const char *property, std::vector<Variant> arguments = {}) const;
   // DISPATCH_METHOD (with PROPERTYGET too, as VBScript calls: Items.Item(1) works both ways).
   Variant call(const char *method, std::vector<Variant> arguments = {}) const;
   // DISPATCH_PROPERTYPUT: item.UnRead = False.
   void put(const char *property, Variant value) const;

 private:
   Variant invoke(const char *member, WORD flags, std::vector<Variant> &arguments, bool put = false) const;
   IDispatch *dispatch_ = nullptr;
};

// The class registered for `progid` ("Outlook.Application"), started or reached as a local server
// (an EXE, as Outlook is) with CoCreateInstance. Throws Error: REGDB_E_CLASSNOTREG (no such ProgID),
// or what CoCreateInstance answered.
Object create_local_server(const wchar_t *progid);

// Whether the ProgID is registered on this machine (CLSIDFromProgID succeeds).
bool progid_registered(const wchar_t *progid);

}  // namespace email::com
