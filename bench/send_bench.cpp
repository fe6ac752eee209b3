// send_bench: what sending a message with a 10 MB attachment over SMTP costs (email.send/2),
// side by side in the same run with Python's smtplib + email package and with libcurl's SMTP
// upload, all over implicit TLS to the submission Dovecot of the test peers (which relays through
// Postfix into grace's INBOX; tests/peers/smtp/smtp-peer.sh).
//   - send: the plugin composes the message (GMime, base64 from the file) and sends it, against
//     Python composing the same message (EmailMessage.add_attachment) and sending it
//     (SMTP.send_message); neither counts its connection and sign-in;
//   - send_raw: the plugin sends a message composed beforehand, against libcurl uploading the same
//     bytes (smtps://, CURLOPT_UPLOAD, on a connection an earlier transfer opened);
//   - client CPU (user + system, getrusage, median of --rounds), round trips, and the most heap in
//     use above what was in use before (glibc mallinfo2, sampled every millisecond by a thread of
//     its own in separate rounds, so the sampling does not count as CPU), for save_copy "never" and
//     for "always" (the copy streamed into IMAP APPEND).
//
//   send_bench PEER_STATE_FILE PLUGIN_DIR [--rounds N]
#include <curl/curl.h>
#include <malloc.h>
#include <openssl/evp.h>
#include <rapidjson/document.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.h"
#include "rpa/ext/email_send.h"

using bench::cpu_ms;
using bench::median;
using bench::quote;
using bench::read_file;
using bench::python;
using bench::read_state;
using bench::HeapPeak;
using bench::Text;

namespace {

constexpr std::size_t kAttachmentBytes = 10 * 1000 * 1000;

// The attachment's bytes as RFC 2045 base64 lines of 76 characters with CRLF.
std::string base64_lines(const std::string &bytes) {
   std::string out;
   unsigned char line[80];
   for (std::size_t at = 0; at < bytes.size(); at += 57) {
      const int n = EVP_EncodeBlock(line, reinterpret_cast<const unsigned char *>(bytes.data()) + at,
                                    static_cast<int>(std::min<std::size_t>(57, bytes.size() - at)));
      out.append(reinterpret_cast<const char *>(line), static_cast<std::size_t>(n));
      out += "\r\n";
   }
   return out;
}

std::string raw_message(const std::string &attachment) {
   return "From: grace@example.com\r\nTo: grace@example.com\r\nSubject: send_bench raw\r\n"
          "Message-ID: <send-bench@example.com>\r\nMIME-Version: 1.0\r\n"
          "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n"
          "Content-Type: text/plain; charset=utf-8\r\n\r\nThe data.\r\n--b\r\n"
          "Content-Type: application/octet-stream; name=\"data.bin\"\r\n"
          "Content-Disposition: attachment; filename=\"data.bin\"\r\nContent-Transfer-Encoding: "
          "base64\r\n\r\n" +
          base64_lines(attachment) + "--b--\r\n";
}

struct Upload {
   const std::string *bytes;
   std::size_t at = 0;
};

size_t read_upload(char *buffer, size_t size, size_t count, void *data) {
   auto *upload = static_cast<Upload *>(data);
   const std::size_t n = std::min(size * count, upload->bytes->size() - upload->at);
   std::memcpy(buffer, upload->bytes->data() + upload->at, n);
   upload->at += n;
   return n;
}

// libcurl's client CPU per upload of `message` (median of `rounds`), on one handle whose first
// transfer (not counted) opened and signed in the connection the others reuse.
std::string curl_upload_ms(const std::map<std::string, std::string> &state, const std::string &password,
                           const std::string &message, int rounds) {
   CURL *curl = curl_easy_init();
   if (!curl) return "n/a";
   const std::string url = "smtps://localhost:" + state.at("PEER_SUBMISSIONS_PORT");
   curl_slist *recipients = curl_slist_append(nullptr, "<grace@example.com>");
   curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
   curl_easy_setopt(curl, CURLOPT_CAINFO, state.at("PEER_CA_FILE").c_str());
   curl_easy_setopt(curl, CURLOPT_USERNAME, "grace");
   curl_easy_setopt(curl, CURLOPT_PASSWORD, password.c_str());
   curl_easy_setopt(curl, CURLOPT_MAIL_FROM, "<grace@example.com>");
   curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
   curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
   curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
   std::vector<double> cpu;
   bool ok = true;
   for (int round = 0; round <= rounds && ok; ++round) {
      Upload upload{&message};
      curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
      curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
      const double start = cpu_ms(RUSAGE_SELF);
      const CURLcode code = curl_easy_perform(curl);
      if (round > 0) cpu.push_back(cpu_ms(RUSAGE_SELF) - start);
      if (code != CURLE_OK) {
         std::cerr << "libcurl: " << curl_easy_strerror(code) << "\n";
         ok = false;
      }
   }
   curl_slist_free_all(recipients);
   curl_easy_cleanup(curl);
   if (!ok) return "n/a";
   char text[32];
   std::snprintf(text, sizeof text, "%.1f", median(cpu));
   return text;
}

const char *kSmtplib = R"(import smtplib, ssl, sys, time
from email.message import EmailMessage
port, ca, password, attachment, rounds = int(sys.argv[1]), sys.argv[2], open(sys.argv[3]).read(), sys.argv[4], int(sys.argv[5])
s = smtplib.SMTP_SSL('localhost', port, context=ssl.create_default_context(cafile=ca)); s.login('grace', password)
times = []
for _ in range(rounds):
    start = time.process_time()
    m = EmailMessage()
    m['From'] = 'grace@example.com'; m['To'] = 'grace@example.com'; m['Subject'] = 'send_bench smtplib'
    m.set_content('The data.')
    with open(attachment, 'rb') as f:
        m.add_attachment(f.read(), maintype='application', subtype='octet-stream', filename='data.bin')
    s.send_message(m)
    times.append((time.process_time() - start) * 1000)
s.quit()
print('%.1f' % sorted(times)[len(times) // 2])
)";

std::string ratio(double ours, const std::string &theirs) {
   const double value = std::atof(theirs.c_str());
   if (value <= 0) return "n/a";
   char text[32];
   std::snprintf(text, sizeof text, "%.2f", ours / value);
   return text;
}

}  // namespace

int main(int argc, char **argv) {
   if (argc < 3) {
      std::cerr << "usage: send_bench PEER_STATE_FILE PLUGIN_DIR [--rounds N]\n";
      return 2;
   }
   int rounds = 5;
   if (argc == 5 && std::string(argv[3]) == "--rounds") rounds = std::max(1, std::atoi(argv[4]));
   auto state = read_state(argv[1]);
   if (state["PEER_SMTP"] != "available") {
      std::cout << "(sending: no SMTP peer here, it needs root for Postfix)\n";
      return 0;
   }
   bench::QuietHost quiet(argv[2]);
   if (!quiet.ok()) return 1;
   const rpa_host_services *host = quiet.services.services();
   const std::string password = read_file(state["PEER_GRACE_PASSWORD_FILE"]);

   char directory[] = "/tmp/rpa-send-bench.XXXXXX";
   if (!::mkdtemp(directory)) return 1;
   const std::string attachment_path = std::string(directory) + "/data.bin";
   std::string attachment(kAttachmentBytes, '\0');
   std::mt19937_64 random(42);
   for (char &byte : attachment) byte = static_cast<char>(random() & 0xff);
   std::ofstream(attachment_path, std::ios::binary) << attachment;
   const std::string raw = raw_message(attachment);
   attachment.clear();
   attachment.shrink_to_fit();

   const std::string bag =
       R"({"connection":"email_server","host":"localhost","protocol":"IMAP","tls_mode":"implicit","port":)" +
       state["PEER_IMAPS_PORT"] + R"(,"username":"grace","password":)" + quote(password) +
       R"(,"smtp_host":"localhost","smtp_port":)" + state["PEER_SUBMISSIONS_PORT"] +
       R"(,"smtp_tls_mode":"implicit","ca_file":)" + quote(state["PEER_CA_FILE"]) +
       R"(,"session_name":"Send","timeout_seconds":120})";
   auto connected = rpa_host::invoke_action(quiet.connect, bag, quiet.services);
   if (!connected.ok()) {
      std::cerr << "Connect: " << connected.message << "\n";
      return 1;
   }
   const auto *sender = bench::session_interface<rpa_email_send>(host, "Send", RPA_EMAIL_SEND_INTERFACE);
   if (!rpa_email_send_has_revision(sender, 1)) {
      std::cerr << "the session offers no email.send\n";
      return 1;
   }

   auto request = [&](const char *save_copy) {
      return R"({"from":"grace@example.com","to":"grace@example.com","subject":"send_bench","text":"The data.",)"
             R"("attachments":[{"path":)" +
             quote(attachment_path) + R"(}],"save_copy":")" + save_copy + "\"}";
   };
   unsigned round_trips = 0;
   std::uint64_t size = 0;
   auto send = [&](bool composed, const char *save_copy) {
      Text result, message;
      const rpa_status status =
          composed ? sender->send(sender, host, request(save_copy).c_str(), &result.sink, &message.sink)
                   : sender->send_raw(sender, host, raw.data(), raw.size(),
                                      (std::string(R"({"save_copy":")") + save_copy + "\"}").c_str(),
                                      &result.sink, &message.sink);
      if (status != RPA_OK) {
         std::cerr << "send: " << message.text << "\n";
         std::exit(1);
      }
      rapidjson::Document answer;
      answer.Parse(result.text.c_str());
      round_trips = answer["round_trips"].GetUint();
      size = answer["size"].GetUint64();
   };
   auto measure = [&](bool composed) {
      std::vector<double> cpu;
      for (int round = 0; round < rounds; ++round) {
         const double start = cpu_ms(RUSAGE_SELF);
         send(composed, "never");
         cpu.push_back(cpu_ms(RUSAGE_SELF) - start);
      }
      return median(cpu);
   };
   auto peak_mb = [&](bool composed, const char *save_copy) {
      HeapPeak peak;
      send(composed, save_copy);
      return peak.stop_mb();
   };

   const double ours_send = measure(true);
   const unsigned send_round_trips = round_trips;
   const std::uint64_t send_size = size;
   const double send_heap = peak_mb(true, "never"), send_heap_copy = peak_mb(true, "always");
   const double ours_raw = measure(false);
   const unsigned raw_round_trips = round_trips;
   const double raw_heap = peak_mb(false, "never");
   const std::string smtplib =
       python(kSmtplib, state["PEER_SUBMISSIONS_PORT"] + " '" + state["PEER_CA_FILE"] + "' '" +
                            state["PEER_GRACE_PASSWORD_FILE"] + "' '" + attachment_path + "' " +
                            std::to_string(rounds));
   curl_global_init(CURL_GLOBAL_DEFAULT);
   const std::string curl = curl_upload_ms(state, password, raw, rounds);
   curl_global_cleanup();

   std::printf(
       "| sending a 10 MB attachment over SMTP | message bytes | round trips | most extra heap (copy: never "
       "/ "
       "always) | client CPU ms (median) | peer, same work | ratio |\n|---|---:|---:|---:|---:|---:|---:|\n");
   std::printf(
       "| send (compose + send) | %llu | %u | %.2f MB / %.2f MB | %.1f | %s (smtplib + email) | %s |\n",
       static_cast<unsigned long long>(send_size), send_round_trips, send_heap, send_heap_copy, ours_send,
       smtplib.c_str(), ratio(ours_send, smtplib).c_str());
   std::printf(
       "| send_raw (a composed message) | %zu | %u | %.2f MB / - | %.1f | %s (libcurl smtps upload) | %s |\n",
       raw.size(), raw_round_trips, raw_heap, ours_raw, curl.c_str(), ratio(ours_raw, curl).c_str());
   std::printf(
       "\n%d rounds each, over implicit TLS on a connection already signed in. Heap: above the level before "
       "the call\n(send_raw's own message, %zu bytes, is the caller's and not counted).\n",
       rounds, raw.size());
   sender->handle.release(&sender->handle);
   rpa_host::invoke_action(quiet.disconnect, R"({"session_name":"Send"})", quiet.services);
   std::remove(attachment_path.c_str());
   ::rmdir(directory);
   return 0;
}
