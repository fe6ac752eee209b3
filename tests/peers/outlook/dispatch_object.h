// The stand-in Outlook's IDispatch, with Outlook's semantics as its object model reference and
// "Automation" documentation describe them: members found by name without regard to case
// (GetIDsOfNames), a property read only with DISPATCH_PROPERTYGET and a method called only with
// DISPATCH_METHOD (VBScript asks for both), arguments in VARIANTs given last first, and errors
// raised as DISP_E_EXCEPTION with an EXCEPINFO whose scode is Outlook's HRESULT.
#pragma once

#include <windows.h>
#include <oleauto.h>

#include <atomic>
#include <string>
#include <vector>

namespace standin {

// An error Outlook raises: DISP_E_EXCEPTION, EXCEPINFO{scode, description}.
struct Raised {
   HRESULT scode;
   std::wstring description;
};

// A plain HRESULT returned from Invoke itself (RPC_E_CALL_REJECTED while busy).
struct Refused {
   HRESULT hr;
};

// The arguments of one call, first first.
class Arguments {
 public:
   explicit Arguments(const DISPPARAMS *parameters);
   std::size_t size() const { return values_.size(); }
   bool given(std::size_t index) const;  // present and not VT_ERROR/DISP_E_PARAMNOTFOUND
   std::wstring text(std::size_t index) const;
   long number(std::size_t index) const;
   bool boolean(std::size_t index) const;
   IDispatch *object(std::size_t index) const;  // not AddRef'd
   const VARIANT &at(std::size_t index) const;

 private:
   std::vector<const VARIANT *> values_;
};

enum class Kind { property, method };

struct Member {
   const wchar_t *name;
   Kind kind;
};

// The reference-counted base of every stand-in object. Objects count themselves in the server's
// lock count, so the server ends when the last one a client holds is released.
// COM objects are released through Release, never deleted through the interface.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class DispatchObject : public IDispatch {
 public:
   explicit DispatchObject(std::vector<Member> members);
   virtual ~DispatchObject();

   HRESULT STDMETHODCALLTYPE QueryInterface(REFIID iid, void **object) override;
   ULONG STDMETHODCALLTYPE AddRef() override;
   ULONG STDMETHODCALLTYPE Release() override;
   HRESULT STDMETHODCALLTYPE GetTypeInfoCount(UINT *count) override;
   HRESULT STDMETHODCALLTYPE GetTypeInfo(UINT, LCID, ITypeInfo **info) override;
   HRESULT STDMETHODCALLTYPE GetIDsOfNames(REFIID, LPOLESTR *names, UINT count, LCID, DISPID *ids) override;
   HRESULT STDMETHODCALLTYPE Invoke(DISPID id, REFIID, LCID, WORD flags, DISPPARAMS *parameters,
                                    VARIANT *result, EXCEPINFO *exception, UINT *wrong_argument) override;

 protected:
   // Runs member `name` (as listed); writes the result. Throws Raised or Refused.
   virtual void invoke(const std::wstring &name, const Arguments &arguments, VARIANT &result) = 0;

 private:
   std::atomic<ULONG> references_{1};
   std::vector<Member> members_;
};
#pragma GCC diagnostic pop

// Result helpers.
void set_text(VARIANT &result, const std::wstring &text);
void set_number(VARIANT &result, long value);
void set_boolean(VARIANT &result, bool value);
void set_date(VARIANT &result, double date);
void set_object(VARIANT &result, DispatchObject *taken);  // takes the new object's one reference

// The server's lock count (objects alive + LockServer); at zero the server's message loop ends.
void lock_server();
void unlock_server();

}  // namespace standin
