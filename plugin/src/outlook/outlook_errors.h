// What a failed Outlook object-model call means for a bot designer: the HRESULTs Outlook and COM
// answer (Microsoft's "COM Error Codes", the Outlook object model guard's documented refusals) as
// Failures whose messages say what to do. Windows only.
#pragma once

#include <string>

#include "outlook/com_dispatch.h"
#include "util/failure.h"

namespace email {

// The HRESULTs this file tells apart.
namespace outlook_hr {
inline constexpr HRESULT kMapiNotFound = static_cast<HRESULT>(0x8004010F);      // MAPI_E_NOT_FOUND
inline constexpr HRESULT kMapiNotSupported = static_cast<HRESULT>(0x80040102);  // MAPI_E_NOT_SUPPORTED
}  // namespace outlook_hr

// Whether `error` is the object model guard refusing a protected member (E_ACCESSDENIED when the
// Trust Center says "always deny", MAPI_E_NOT_SUPPORTED when the user chose Deny on the prompt).
bool is_guard_refusal(const com::Error &error);

// A Failure for `error`, met while `doing` ("opening the Inbox"): busy past the deadline ->
// timeout; the guard -> authentication_failed saying what the Trust Center setting is; Outlook not
// starting for automation -> connection_failed; Outlook gone -> connection_failed; anything else ->
// protocol_error with Outlook's own description and the HRESULT.
Failure outlook_failure(const com::Error &error, const std::string &doing);

// Runs `work` and turns a COM error it throws into outlook_failure(error, doing).
template <class Work>
auto outlook_step(const std::string &doing, Work work) -> decltype(work()) {
   try {
      return work();
   } catch (const com::Error &error) {
      throw outlook_failure(error, doing);
   }
}

// "0x8004010F"
std::string hresult_text(HRESULT hr);

}  // namespace email
