#include "session/exchange_refusals.h"

#include "util/failure.h"

namespace email {

void throw_if_sending_refused(const std::string &code, bool too_large, const std::string &service,
                              const std::string &mailbox, const std::string &said) {
   const std::string nothing = "; nothing was sent";
   if (code == "ErrorSendAsDenied")
      throw Failure(RPA_INVALID_PROPERTIES,
                    "invalid send request: from: " + service + " does not let the mailbox \"" + mailbox +
                        "\" send as the message's sender (" + said +
                        "). An Exchange administrator grants Send As (Add-RecipientPermission) or Send on "
                        "Behalf (Set-Mailbox -GrantSendOnBehalfTo); or leave from out to send as \"" +
                        mailbox + "\"" + nothing);
   if (too_large || code == "ErrorMessageSizeExceeded")
      throw Failure(RPA_INVALID_PROPERTIES,
                    service + " refused the message as too large (" + said +
                        "); an administrator sets the limit (35 MB by default in Exchange Online, 10 MB "
                        "in Exchange Server). Send the large files as links" +
                        nothing);
   if (code == "ErrorInvalidRecipients")
      throw Failure(RPA_INVALID_PROPERTIES,
                    service + " found no recipient it can send to in the message (" + said + ")" + nothing);
}

}  // namespace email
