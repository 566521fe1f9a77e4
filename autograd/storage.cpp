#include "autograd/storage.hpp"

#include "autograd/backend/backend.hpp"
#include "autograd/denormals.hpp"
#include "autograd/error.hpp"

namespace lg {
namespace {

// A reference into denormals.cpp, so that every program holding a tensor also links its start-up
// switch to flushing denormals (Note [denormals]).
[[gnu::used]] const auto link_denormals = &lg::flush_denormals;

}  // namespace

Storage::Storage(std::size_t nbytes, Device device) : nbytes_(nbytes), device_(device) {
  Backend& backend = backend_for(device);
  data_ = backend.allocate(nbytes, device);
  owner_ = &backend;
  host_accessible_ = backend.host_accessible();
}

std::shared_ptr<Storage> Storage::borrow(void* data, std::size_t nbytes, Device device) {
  std::shared_ptr<Storage> storage(new Storage());
  storage->data_ = data;
  storage->nbytes_ = nbytes;
  storage->device_ = device;
  storage->host_accessible_ = backend_for(device).host_accessible();
  return storage;
}

Storage::~Storage() {
  if (owner_ != nullptr) owner_->release(data_, nbytes_, device_);
}

void* Storage::data() const {
  if (!host_accessible_)
    fail<DeviceError>("storage", "host code cannot read the memory of device ", device_,
                      "; copy the tensor to the CPU first (tensor.to(lg::cpu))");
  return data_;
}

}  // namespace lg
