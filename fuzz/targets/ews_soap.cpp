// EWS SOAP responses: the envelope, ServerVersionInfo, faults with BackOffMilliseconds, response
// messages, folders and items' summaries, whatever the server sends; and its WWW-Authenticate challenges as the
// Windows sign-in reads them, and user and service names as it turns them into Kerberos names, krb5.conf's kdc
// values and a KDC reply's length prefix. pugixml allocates through ews/xml_pages.h's page cache.
#include "ews/ews_soap.h"
#include "ews/ews_summary.h"
#include "ews/xml_pages.h"
#include "fuzz_host.h"
#include "http/www_authenticate.h"
#include "windows_sign_in/kdc_exchange.h"
#include "windows_sign_in/windows_sign_in.h"

// pugixml allocates through the page cache, as in the plugin (installed before any document).
extern "C" int LLVMFuzzerInitialize(int *, char ***) {
   email::ews::install_xml_page_cache();
   return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
   email::ews::Response response;
   const std::string text = fuzz::text_of(data, size);
   if (email::ews::parse_response(text, response))  // each item of each message, as a summary
      for (const auto &message : response.messages)
         for (pugi::xml_node item : email::ews::child(message.node, "Items").children())
            (void)email::ews::summary_of_item(item);
   (void)email::authentication_token(text, "Negotiate");
   (void)email::authentication_token(text, "NTLM");
   (void)email::offers_scheme(text, "Negotiate");
   (void)email::kerberos_principal(text);
   (void)email::gss_service_name(text, "mail.contoso.test");
   (void)email::gss_service_name("", text);
   (void)email::spn_realm(text);
   (void)email::parse_kdc_address(text);
   if (size >= 4) (void)email::kdc_reply_length(data, 1024 * 1024);
   return 0;
}
