// Finding datasets: the explicit folder, then LATENTGEO_DATA, then the default
// places; and the error that lists every folder tried. Uses generated 28 x 28
// files, so it runs without the real data installed.
#include <boost/test/unit_test.hpp>

#include <latentgeo.hpp>

#include <cstdlib>
#include <optional>

#include "error_match.hpp"
#include "idx_fixtures.hpp"

using test_data::check_throws_with;

namespace {

// Sets (or unsets, for std::nullopt) an environment variable until destroyed.
class EnvironmentOverride {
 public:
  EnvironmentOverride(std::string name, std::optional<std::string> value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) previous_ = old;
    if (value) ::setenv(name_.c_str(), value->c_str(), 1);
    else ::unsetenv(name_.c_str());
  }
  ~EnvironmentOverride() {
    if (previous_) ::setenv(name_.c_str(), previous_->c_str(), 1);
    else ::unsetenv(name_.c_str());
  }
  EnvironmentOverride(const EnvironmentOverride&) = delete;
  EnvironmentOverride& operator=(const EnvironmentOverride&) = delete;

 private:
  std::string name_;
  std::optional<std::string> previous_;
};

// Writes a tiny MNIST-shaped split (count images) into `folder` below the scratch folder.
void write_split(const test_data::ScratchFolder& scratch, const std::string& folder, std::uint32_t count,
                 std::uint32_t label_count, bool compressed = false, std::uint32_t side = 28) {
  const auto wrap = [&](const test_data::Bytes& bytes) { return compressed ? test_data::gzip(bytes) : bytes; };
  const std::string suffix = compressed ? ".gz" : "";
  scratch.write(folder + "/train-images-idx3-ubyte" + suffix, wrap(test_data::make_images(count, side, side)));
  scratch.write(folder + "/train-labels-idx1-ubyte" + suffix, wrap(test_data::make_labels(label_count)));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dataset_lookup)

BOOST_AUTO_TEST_CASE(explicit_folder_with_or_without_the_set_subfolder) {
  test_data::ScratchFolder scratch;
  write_split(scratch, "root/mnist", 3, 3);
  write_split(scratch, "flat", 4, 4, /*compressed=*/true);
  const auto dataset = lg::data::load_mnist(lg::data::Split::train, scratch.path() + "/root");
  BOOST_TEST(dataset.name == "mnist-train");
  BOOST_TEST(dataset.images.shape() == (lg::Shape{3, 1, 28, 28}), boost::test_tools::per_element());
  BOOST_TEST(dataset.labels.shape() == (lg::Shape{3}), boost::test_tools::per_element());
  const auto flat = lg::data::load_fashion_mnist(lg::data::Split::train, scratch.path() + "/flat");
  BOOST_TEST(flat.name == "fashion-mnist-train");
  BOOST_TEST(flat.images.size(0) == 4);
}

BOOST_AUTO_TEST_CASE(environment_folder_comes_after_the_explicit_one) {
  test_data::ScratchFolder scratch;
  write_split(scratch, "env/mnist", 5, 5);
  write_split(scratch, "explicit/mnist", 2, 2);
  EnvironmentOverride data("LATENTGEO_DATA", scratch.path() + "/env");
  BOOST_TEST(lg::data::load_mnist(lg::data::Split::train).images.size(0) == 5);
  BOOST_TEST(lg::data::load_mnist(lg::data::Split::train, scratch.path() + "/explicit").images.size(0) == 2);
  BOOST_TEST(lg::data::load_mnist(lg::data::Split::train, scratch.path() + "/nothing-here").images.size(0) == 5);
}

BOOST_AUTO_TEST_CASE(cache_folder_is_the_default_for_mnist) {
  test_data::ScratchFolder scratch;
  write_split(scratch, "cache/latentgeo/mnist", 6, 6);
  EnvironmentOverride data("LATENTGEO_DATA", std::nullopt);
  EnvironmentOverride cache("XDG_CACHE_HOME", scratch.path() + "/cache");
  BOOST_TEST(lg::data::load_mnist(lg::data::Split::train).images.size(0) == 6);
  const auto folders = lg::data::dataset_search_folders("fashion-mnist");
  BOOST_TEST(folders.back() == "/usr/share/datasets/fashion-mnist");
}

BOOST_AUTO_TEST_CASE(missing_dataset_names_every_folder_tried_and_the_install_command) {
  test_data::ScratchFolder scratch;
  EnvironmentOverride data("LATENTGEO_DATA", scratch.path() + "/env");
  EnvironmentOverride cache("XDG_CACHE_HOME", scratch.path() + "/cache");
  EnvironmentOverride home("HOME", scratch.path() + "/home");
  const std::string root = scratch.path();
  check_throws_with<lg::IOError>([&] { lg::data::load_mnist(lg::data::Split::test, root + "/given"); },
                                 {"load_mnist", "test split of mnist was not found", root + "/given/mnist (no t10k-images",
                                  root + "/given (no", root + "/env/mnist", root + "/cache/latentgeo/mnist",
                                  root + "/home/.cache/latentgeo/mnist", "bash scripts/fetch_data.sh"});
}

BOOST_AUTO_TEST_CASE(count_mismatch_and_wrong_image_size_are_rejected) {
  test_data::ScratchFolder scratch;
  write_split(scratch, "mismatch", 5, 4);
  write_split(scratch, "small", 3, 3, false, 8);
  check_throws_with<lg::IOError>([&] { lg::data::load_mnist(lg::data::Split::train, scratch.path() + "/mismatch"); },
                                 {"train-labels-idx1-ubyte: count", "expected 5 labels", "found 4"});
  check_throws_with<lg::IOError>([&] { lg::data::load_mnist(lg::data::Split::train, scratch.path() + "/small"); },
                                 {"train-images-idx3-ubyte: dimensions", "expected 28 x 28", "found 8 x 8"});
}

BOOST_AUTO_TEST_CASE(split_names) {
  BOOST_TEST((lg::data::parse_split("test") == lg::data::Split::test));
  BOOST_TEST(lg::data::split_name(lg::data::Split::train) == "train");
  check_throws_with<lg::ValueError>([] { lg::data::parse_split("validation"); }, {"parse_split", "\"validation\""});
}

BOOST_AUTO_TEST_SUITE_END()
