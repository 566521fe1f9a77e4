// The device boundary, proved by the test device (autograd/backend/test_device/):
// a second device whose memory host code cannot read and whose kernels are the
// CPU's. Every registry op gives the CPU's bits on it (values, first and second
// order), host pointers to its memory are refused, tensors on two devices are a
// DeviceError, and moves in both directions keep every value. A path that skips
// lg::kernel::* fails here, as it would on a GPU.
#include <boost/test/unit_test.hpp>

#include <cstring>

#include "autograd/backend/backend.hpp"
#include "autograd/backend/test_device/test_backend.hpp"
#include "common/expect_error.hpp"
#include "op_registry.hpp"

namespace lg::testing {
namespace {

// x on `device` with x's own layout (strides, offset, zero strides of an expanded view): the whole
// storage moves, then the same view is taken of the copy.
Tensor same_layout_on(const Tensor& x, Device device) {
  if (!x.defined()) return x;
  const auto& storage = x.impl()->storage;
  const std::int64_t elements = static_cast<std::int64_t>(storage->nbytes() / dtype_size(x.dtype()));
  const Tensor moved = detail::alias(x, {elements}, {1}, 0).to(device);
  Tensor view = detail::alias(moved, x.shape(), x.strides(), x.offset());
  if (x.requires_grad()) view.requires_grad_();
  return view;
}

// Bit equality of two tensors' values (NaN equals NaN with the same bits), shapes and dtypes.
bool same_bits(const Tensor& a, const Tensor& b) {
  if (a.defined() != b.defined()) return false;
  if (!a.defined()) return true;
  if (a.shape() != b.shape() || a.dtype() != b.dtype()) return false;
  const auto x = a.to_vector<double>(), y = b.to_vector<double>();
  return x.empty() || std::memcmp(x.data(), y.data(), x.size() * sizeof(double)) == 0;
}

// Random tensors shaped like `like` (float64, on `device`) from a fixed seed, the same on every device.
Tensor random_like(const Tensor& like, std::uint64_t seed, Device device) {
  Generator generator(seed);
  return randn(like.shape(), like.dtype(), &generator).to(device);
}

struct Outcome {
  Tensor value;
  std::vector<Tensor> first, second;
};

// The op's value, <v, J> for every input that requires grad, and the gradient of <w, <v, J>>.
Outcome evaluate(const OpEntry& entry, const std::vector<Tensor>& inputs, const OpArguments& arguments,
                 Device device) {
  Outcome outcome;
  outcome.value = entry.function(inputs, arguments);
  std::vector<Tensor> wrt;
  for (const Tensor& x : inputs)
    if (x.defined() && x.requires_grad()) wrt.push_back(x);
  if (wrt.empty() || !outcome.value.requires_grad()) return outcome;
  const Tensor v = random_like(outcome.value, 7, device);
  outcome.first = grad({outcome.value}, wrt, {v}, {.create_graph = true, .allow_unused = true});
  Tensor projection;
  for (std::size_t k = 0; k < wrt.size(); ++k) {
    if (!outcome.first[k].defined() || !outcome.first[k].requires_grad()) continue;
    const Tensor term = (outcome.first[k] * random_like(outcome.first[k], 11 + k, device)).sum();
    projection = projection.defined() ? projection + term : term;
  }
  if (projection.defined()) outcome.second = grad({projection}, wrt, {}, {.allow_unused = true});
  return outcome;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(device_boundary)

BOOST_AUTO_TEST_CASE(every_registry_op_gives_the_cpu_bits_on_the_test_device) {
  std::size_t samples = 0, gradients = 0;
  for (const OpEntry& entry : op_registry()) {
    Generator generator(1234);
    for (const OpSample& sample : entry.samples(generator)) {
      const std::string where = entry.name + " [" + sample.label + "]";
      std::vector<Tensor> moved;
      for (const Tensor& x : sample.inputs) moved.push_back(same_layout_on(x, test_device));
      Outcome on_cpu, on_device;
      try {
        on_cpu = evaluate(entry, sample.inputs, sample.arguments, cpu);
        on_device = evaluate(entry, moved, sample.arguments, test_device);
      } catch (const Error& e) {
        BOOST_ERROR(where << ": " << e.what());
        continue;
      }
      ++samples;
      BOOST_CHECK_MESSAGE(on_device.value.device() == test_device, where << ": the value is on " << on_device.value.device());
      BOOST_CHECK_MESSAGE(same_bits(on_cpu.value, on_device.value), where << ": values differ");
      BOOST_REQUIRE_EQUAL(on_cpu.first.size(), on_device.first.size());
      for (std::size_t k = 0; k < on_cpu.first.size(); ++k, ++gradients)
        BOOST_CHECK_MESSAGE(same_bits(on_cpu.first[k], on_device.first[k]), where << ": gradient " << k << " differs");
      BOOST_REQUIRE_EQUAL(on_cpu.second.size(), on_device.second.size());
      for (std::size_t k = 0; k < on_cpu.second.size(); ++k, ++gradients)
        BOOST_CHECK_MESSAGE(same_bits(on_cpu.second[k], on_device.second[k]),
                            where << ": second-order gradient " << k << " differs");
    }
  }
  BOOST_TEST_MESSAGE("test device: " << samples << " registry samples, " << gradients << " gradients, CPU bits");
  BOOST_TEST(samples > 300u);
}

BOOST_AUTO_TEST_CASE(host_code_cannot_read_the_test_device) {
  const Tensor x = ones({2, 3}).to(test_device);
  BOOST_TEST(x.device() == test_device);
  expect_error<DeviceError>([&] { x.data_ptr<float>(); }, "storage: ", {"test:0", "to(lg::cpu)"});
  expect_error<DeviceError>([&] { x.impl()->storage->data(); }, "storage: ", {"test:0"});
  // Values still come back through the backend, and the CPU keeps its pointer.
  BOOST_TEST(x.to_vector<double>() == std::vector<double>(6, 1.0), boost::test_tools::per_element());
  BOOST_TEST(x.sum().item() == 6.0);
  BOOST_TEST(ones({1}).data_ptr<float>()[0] == 1.0f);
}

BOOST_AUTO_TEST_CASE(tensors_on_two_devices_are_a_device_error) {
  const Tensor a = ones({2, 3}), b = ones({2, 3}).to(test_device);
  // Ops name themselves; kernels called directly name the kernel.
  expect_error<DeviceError>([&] { a + b; }, "add: ", {"cpu", "test:0"});
  expect_error<DeviceError>([&] { matmul(a, b.t()); }, "matmul: ", {"cpu", "test:0"});
  expect_error<DeviceError>([&] { kernel::binary(kernel::Binary::add, a, b, a); }, "binary: ", {"cpu", "test:0"});
  expect_error<DeviceError>([&] { index_select(b, 0, from_vector(std::vector<std::int64_t>{0})); }, "index_select: ",
                            {"cpu", "test:0"});
  expect_error<DeviceError>([&] { a.to(cuda(3)); }, "to_device: ", {"cuda:3"});
  expect_error<DeviceError>([&] { zeros({2}, float32, Device{Device::Type::test, 1}); }, "backend: ", {"test:1"});
}

BOOST_AUTO_TEST_CASE(moves_keep_values_dtypes_and_layouts) {
  Generator generator(5);
  for (DType dtype : {float32, float64, int64}) {
    const Tensor x = dtype == int64 ? randint(-9, 9, {3, 4}, &generator) : randn({3, 4}, dtype, &generator);
    const Tensor there = x.t().to(test_device);  // a transposed view travels as its values
    BOOST_TEST(there.dtype() == dtype);
    BOOST_TEST(same_bits(there.to(cpu), x.t()));
    Tensor target = zeros({4, 3}, dtype).to(test_device);
    target.copy_(x.t());  // copy_ from another device
    BOOST_TEST(same_bits(target.to(cpu), x.t()));
  }
  // A gradient goes back to where its tensor lives.
  const Tensor w = randn({3}, float64, &generator).requires_grad_();
  (w.to(test_device) * w.to(test_device)).sum().backward();
  BOOST_TEST(w.grad().device() == cpu);
  BOOST_TEST(same_bits(w.grad(), w.detach() * 2.0));
}

BOOST_AUTO_TEST_CASE(the_test_device_frees_what_it_takes) {
  const std::size_t before = test_device_allocated_bytes();
  {
    const Tensor x = randn({64, 64}).to(test_device).requires_grad_();
    (x.matmul(x) * 3.0).sum().backward();
    BOOST_TEST(test_device_allocated_bytes() > before);
  }
  BOOST_TEST(test_device_allocated_bytes() == before);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace lg::testing
