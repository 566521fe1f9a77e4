#include "autograd/grad_mode.hpp"

namespace lg {
namespace {
thread_local bool grad_enabled = true;
thread_local bool anomaly_enabled = false;
}  // namespace

bool grad_mode_enabled() { return grad_enabled; }
void set_grad_mode(bool enabled) { grad_enabled = enabled; }

bool anomaly_mode_enabled() { return anomaly_enabled; }
AnomalyModeGuard::AnomalyModeGuard(bool enabled) : previous_(anomaly_enabled) { anomaly_enabled = enabled; }
AnomalyModeGuard::~AnomalyModeGuard() { anomaly_enabled = previous_; }

}  // namespace lg
