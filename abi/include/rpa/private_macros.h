/* Portability macros shared by the ABI headers. Not part of the contract itself. */
#ifndef RPA_PRIVATE_MACROS_H
#define RPA_PRIVATE_MACROS_H

#if defined(_WIN32)
#  define RPA_EXPORT __declspec(dllexport)
#else
#  define RPA_EXPORT __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
#  define RPA_EXTERN_C_BEGIN extern "C" {
#  define RPA_EXTERN_C_END }
#else
#  define RPA_EXTERN_C_BEGIN
#  define RPA_EXTERN_C_END
#endif

#endif
