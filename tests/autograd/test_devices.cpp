// Devices: the CPU always works; CUDA tensors need a CUDA build and a GPU.
// Without them, asking for one is a clear DeviceError (docs/testing.md, G5
// error messages), and the CUDA checks report themselves skipped.
#include <boost/test/unit_test.hpp>

#include <latentgeo.hpp>

BOOST_AUTO_TEST_SUITE(devices)

BOOST_AUTO_TEST_CASE(device_names_and_equality) {
  BOOST_TEST(lg::cpu.str() == "cpu");
  BOOST_TEST(lg::cuda(1).str() == "cuda:1");
  BOOST_TEST(lg::cpu != lg::cuda(0));
  BOOST_TEST(lg::zeros({2}).device() == lg::cpu);
}

BOOST_AUTO_TEST_CASE(cuda_tensors_without_a_gpu_are_a_device_error) {
  if (lg::cuda_is_available()) {
    BOOST_TEST_MESSAGE("a GPU is present: the CUDA backend tests run in the device suite");
    return;
  }
  BOOST_TEST_MESSAGE("SKIPPED: no CUDA device (cuda_device_count() = " << lg::cuda_device_count() << ")");
  try {
    lg::zeros({2}, lg::float32, lg::cuda(0));
    BOOST_ERROR("no exception");
  } catch (const lg::DeviceError& e) {
    BOOST_TEST(std::string(e.what()).find("cuda:0") != std::string::npos, e.what());
  }
}

BOOST_AUTO_TEST_SUITE_END()
