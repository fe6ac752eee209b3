#include "net/tls_socket_bio.h"

#include <cstdint>

#include "net/sockets.h"

namespace email {

namespace {

int socket_of(BIO *bio) { return static_cast<int>(reinterpret_cast<std::intptr_t>(BIO_get_data(bio))); }

// After a call that failed: whether to say "try again" (would block, interrupted) to OpenSSL.
bool retry_later() {
   const int error = sockets::last_error();
   return sockets::would_block(error) || sockets::interrupted(error);
}

int write_socket(BIO *bio, const char *bytes, int size) {
   BIO_clear_retry_flags(bio);
   if (size <= 0) return 0;
   const long sent = sockets::send(socket_of(bio), bytes, static_cast<std::size_t>(size));
   if (sent < 0 && retry_later()) BIO_set_retry_write(bio);
   return static_cast<int>(sent);
}

int read_socket(BIO *bio, char *buffer, int size) {
   BIO_clear_retry_flags(bio);
   if (size <= 0) return 0;
   const long got = sockets::recv(socket_of(bio), buffer, static_cast<std::size_t>(size));
   if (got == 0) BIO_set_flags(bio, BIO_FLAGS_IN_EOF);
   if (got < 0 && retry_later()) BIO_set_retry_read(bio);
   return static_cast<int>(got);
}

long control(BIO *bio, int command, long, void *pointer) {
   switch (command) {
   case BIO_CTRL_FLUSH: return 1;
   case BIO_CTRL_EOF: return BIO_test_flags(bio, BIO_FLAGS_IN_EOF) != 0 ? 1 : 0;
   case BIO_C_GET_FD:  // BIO_get_fd(bio, &fd) as OpenSSL's socket BIO answers it
      if (pointer) *static_cast<int *>(pointer) = socket_of(bio);
      return socket_of(bio);
   default: return 0;  // no push/pop, no kernel TLS, no duplication: "not supported"
   }
}

int create(BIO *bio) {
   BIO_set_init(bio, 1);
   return 1;
}

BIO_METHOD *make_socket_method() {
   BIO_METHOD *method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK | BIO_TYPE_DESCRIPTOR,
                                     "email socket, no SIGPIPE");
   if (!method) return nullptr;
   BIO_meth_set_write(method, write_socket);
   BIO_meth_set_read(method, read_socket);
   BIO_meth_set_ctrl(method, control);
   BIO_meth_set_create(method, create);
   return method;
}

// Made on the first TLS connection, freed when the plugin is unloaded (no BIO can outlive that).
const BIO_METHOD *socket_method() {
   static const struct Holder {
      BIO_METHOD *method = make_socket_method();
      ~Holder() { BIO_meth_free(method); }
   } holder;
   return holder.method;
}

}  // namespace

BIO *new_tls_socket_bio(int fd) {
   const BIO_METHOD *method = socket_method();
   if (!method) return nullptr;
   BIO *bio = BIO_new(method);
   if (bio) BIO_set_data(bio, reinterpret_cast<void *>(static_cast<std::intptr_t>(fd)));
   return bio;
}

}  // namespace email
