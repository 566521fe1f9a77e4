// docs/testing.md, G16 verified data: the installed MNIST and Fashion-MNIST
// hold the known class counts and pixel mean. Each test runs only when
// scripts/fetch_data.sh has installed its data, and otherwise reports itself
// skipped with the reason.
#include <boost/test/unit_test.hpp>

#include <latentgeo.hpp>

#include <array>
#include <filesystem>
#include <numeric>

namespace {

namespace utf = boost::unit_test;

// Skips the test unless some search folder holds all four files of `set`.
struct DataInstalled {
  std::string set;
  boost::test_tools::assertion_result operator()(utf::test_unit_id) const {
    for (const std::string& folder : lg::data::dataset_search_folders(set)) {
      bool complete = true;
      for (const char* name : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                               "t10k-labels-idx1-ubyte"}) {
        std::error_code error;
        const std::string path = folder + "/" + name;
        complete = complete && (std::filesystem::is_regular_file(path, error) ||
                                std::filesystem::is_regular_file(path + ".gz", error));
      }
      if (complete) return true;
    }
    boost::test_tools::assertion_result skipped(false);
    skipped.message() << "SKIPPED: " << set << " is not installed (run: bash scripts/fetch_data.sh)";
    return skipped;
  }
};

std::array<std::int64_t, 10> class_counts(const lg::Tensor& labels) {
  std::array<std::int64_t, 10> counts{};
  for (const std::int64_t label : labels.to_vector<std::int64_t>()) ++counts[static_cast<std::size_t>(label)];
  return counts;
}

void check_images(const lg::data::Dataset& dataset, std::int64_t count) {
  BOOST_TEST(dataset.images.shape() == (lg::Shape{count, 1, 28, 28}), boost::test_tools::per_element());
  BOOST_TEST(dataset.images.dtype() == lg::float32);
  BOOST_TEST(dataset.labels.shape() == (lg::Shape{count}), boost::test_tools::per_element());
}

double pixel_mean(const lg::Tensor& images) {
  const float* pixels = images.data_ptr<float>();
  double sum = 0.0;
  for (std::int64_t i = 0; i < images.numel(); ++i) sum += pixels[i];
  return sum / static_cast<double>(images.numel());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(real_data)

BOOST_AUTO_TEST_CASE(mnist_class_counts_and_pixel_mean, *utf::precondition(DataInstalled{"mnist"})) {
  const auto train = lg::data::load_mnist(lg::data::Split::train);
  check_images(train, 60000);
  const std::array<std::int64_t, 10> train_counts = {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949};
  BOOST_TEST(class_counts(train.labels) == train_counts, boost::test_tools::per_element());
  const double mean = pixel_mean(train.images);
  BOOST_TEST_MESSAGE("MNIST train pixel mean " << mean);
  BOOST_TEST(std::abs(mean - 0.13066) <= 1e-5);

  const auto test = lg::data::load_mnist(lg::data::Split::test);
  check_images(test, 10000);
  const std::array<std::int64_t, 10> test_counts = {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};
  BOOST_TEST(class_counts(test.labels) == test_counts, boost::test_tools::per_element());
  BOOST_TEST(std::abs(pixel_mean(test.images) - 0.13251) <= 1e-5);
}

BOOST_AUTO_TEST_CASE(fashion_mnist_class_counts, *utf::precondition(DataInstalled{"fashion-mnist"})) {
  const auto train = lg::data::load_fashion_mnist(lg::data::Split::train);
  check_images(train, 60000);
  for (const std::int64_t count : class_counts(train.labels)) BOOST_TEST(count == 6000);
  const auto test = lg::data::load_fashion_mnist(lg::data::Split::test);
  check_images(test, 10000);
  for (const std::int64_t count : class_counts(test.labels)) BOOST_TEST(count == 1000);
}

BOOST_AUTO_TEST_SUITE_END()
