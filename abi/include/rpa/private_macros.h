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

/* RPA_STRINGIFY(1) is "1": extension ids are spelled from their name and revision macros. */
#define RPA_STRINGIFY_(x) #x
#define RPA_STRINGIFY(x) RPA_STRINGIFY_(x)

#endif
