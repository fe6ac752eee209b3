#include "net/cancel_alarm.h"

namespace email {

CancelAlarm::CancelAlarm(const HostServices &host) : host_(host) {
   if (wakeup_.fd() >= 0) token_ = host_.subscribe_cancel(&CancelAlarm::notify, this);
}

CancelAlarm::~CancelAlarm() {
   if (token_) host_.unsubscribe_cancel(token_);
}

}  // namespace email
