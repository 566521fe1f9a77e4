// DataLoader: seeded shuffles are reproducible, every epoch visits every row
// once, drop_last, the transform's own generator, and a state round trip that
// continues bit for bit.
#include <boost/test/unit_test.hpp>

#include <latentgeo.hpp>

#include <algorithm>
#include <numeric>

#include "error_match.hpp"

namespace {

// Row i of images is filled with i, label i is i mod 10.
lg::data::Dataset numbered_dataset(std::int64_t size) {
  std::vector<float> pixels;
  std::vector<std::int64_t> labels;
  for (std::int64_t i = 0; i < size; ++i) {
    for (int k = 0; k < 6; ++k) pixels.push_back(static_cast<float>(i));
    labels.push_back(i % 10);
  }
  return {lg::from_vector(pixels, {size, 1, 2, 3}), lg::from_vector(labels, {size}), "numbered"};
}

// Everything the loader hands out until `epochs` epochs have ended, as numbers.
std::vector<double> drain(lg::data::DataLoader& loader, int epochs) {
  std::vector<double> seen;
  for (int e = 0; e < epochs; ++e)
    while (auto batch = loader.next()) {
      for (const double v : batch->images.to_vector<double>()) seen.push_back(v);
      for (const double v : batch->labels.to_vector<double>()) seen.push_back(v);
      seen.push_back(-1.0);  // batch boundary
    }
  return seen;
}

lg::Tensor add_noise(const lg::Tensor& batch, lg::Generator& generator) {
  return batch + lg::randn(batch.shape(), batch.dtype(), &generator);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dataloader)

BOOST_AUTO_TEST_CASE(batches_are_rows_of_the_dataset_and_each_epoch_is_a_permutation) {
  const auto dataset = numbered_dataset(23);
  lg::data::DataLoader loader(dataset, {.batch_size = 5, .seed = 3});
  BOOST_TEST(loader.batches_per_epoch() == 5);
  for (int epoch = 0; epoch < 2; ++epoch) {
    std::vector<std::int64_t> rows;
    std::vector<std::int64_t> sizes;
    while (auto batch = loader.next()) {
      BOOST_TEST(batch->images.is_contiguous());
      sizes.push_back(batch->images.size(0));
      const auto indices = batch->indices.to_vector<std::int64_t>();
      const auto images = batch->images.to_vector<float>();
      const auto labels = batch->labels.to_vector<std::int64_t>();
      for (std::size_t b = 0; b < indices.size(); ++b) {
        BOOST_TEST(images[6 * b + 5] == static_cast<float>(indices[b]));
        BOOST_TEST(labels[b] == indices[b] % 10);
      }
      rows.insert(rows.end(), indices.begin(), indices.end());
    }
    BOOST_TEST(sizes == (std::vector<std::int64_t>{5, 5, 5, 5, 3}), boost::test_tools::per_element());
    BOOST_TEST(loader.epoch() == epoch + 1);
    std::vector<std::int64_t> sorted = rows;
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::int64_t> all(23);
    std::iota(all.begin(), all.end(), 0);
    BOOST_TEST(sorted == all, boost::test_tools::per_element());
    BOOST_TEST(rows != all);  // shuffled
  }
}

BOOST_AUTO_TEST_CASE(same_seed_same_batches_different_seed_different_order) {
  const auto dataset = numbered_dataset(40);
  lg::data::DataLoader a(dataset, {.batch_size = 8, .seed = 42}), b(dataset, {.batch_size = 8, .seed = 42});
  lg::data::DataLoader c(dataset, {.batch_size = 8, .seed = 43});
  const auto seen_a = drain(a, 3);
  BOOST_TEST(seen_a == drain(b, 3), boost::test_tools::per_element());
  BOOST_TEST(seen_a != drain(c, 3));
}

BOOST_AUTO_TEST_CASE(drop_last_and_no_shuffle) {
  const auto dataset = numbered_dataset(10);
  lg::data::DataLoader dropping(dataset, {.batch_size = 4, .shuffle = false, .drop_last = true});
  BOOST_TEST(dropping.batches_per_epoch() == 2);
  std::vector<std::int64_t> rows;
  while (auto batch = dropping.next()) {
    BOOST_TEST(batch->images.size(0) == 4);
    for (const auto row : batch->indices.to_vector<std::int64_t>()) rows.push_back(row);
  }
  BOOST_TEST(rows == (std::vector<std::int64_t>{0, 1, 2, 3, 4, 5, 6, 7}), boost::test_tools::per_element());
  lg::data::DataLoader keeping(dataset, {.batch_size = 4, .shuffle = false});
  BOOST_TEST(keeping.batches_per_epoch() == 3);
  BOOST_TEST(drain(keeping, 1).size() == 3u * 1 + 10u * 6 + 10u);
}

BOOST_AUTO_TEST_CASE(transform_has_its_own_generator_and_does_not_change_the_order) {
  const auto dataset = numbered_dataset(30);
  lg::data::DataLoader plain(dataset, {.batch_size = 7, .seed = 5});
  lg::data::DataLoader noisy(dataset, {.batch_size = 7, .seed = 5, .transform = add_noise});
  for (int step = 0; step < 6; ++step) {
    auto p = plain.next(), n = noisy.next();
    BOOST_TEST_REQUIRE((p.has_value() == n.has_value()));
    if (!p) continue;
    BOOST_TEST(p->indices.to_vector<std::int64_t>() == n->indices.to_vector<std::int64_t>(),
               boost::test_tools::per_element());
    const auto clean = p->images.to_vector<float>(), noise = n->images.to_vector<float>();
    BOOST_TEST(clean != noise);
  }
}

BOOST_AUTO_TEST_CASE(state_round_trip_continues_bit_for_bit) {
  const auto dataset = numbered_dataset(37);
  const lg::data::DataLoaderOptions options{.batch_size = 6, .seed = 9, .transform = add_noise};
  for (const int batches_before_saving : {0, 3, 7, 14}) {  // 7: an epoch boundary (7 batches an epoch)
    lg::data::DataLoader original(dataset, options);
    int handed = 0;
    while (handed < batches_before_saving) handed += original.next().has_value() ? 1 : 0;
    const auto state = original.state();
    for (const auto& [key, value] : state) BOOST_TEST((value.dtype() == lg::int64 && value.dim() <= 1), key);

    lg::data::DataLoader restored(dataset, {.batch_size = 6, .seed = 1234, .transform = add_noise});
    restored.load_state(state);
    BOOST_TEST(restored.epoch() == original.epoch());
    BOOST_TEST(restored.position() == original.position());
    BOOST_TEST(drain(original, 3) == drain(restored, 3), boost::test_tools::per_element());
  }
  // Saved just after an epoch ended (next() returned nullopt).
  lg::data::DataLoader original(dataset, options), restored(dataset, options);
  drain(original, 1);
  restored.load_state(original.state());
  BOOST_TEST(restored.epoch() == 1);
  BOOST_TEST(drain(original, 2) == drain(restored, 2), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_rejected_state_leaves_the_loader_unchanged) {
  const auto dataset = numbered_dataset(12);
  lg::data::DataLoader loader(dataset, {.batch_size = 5, .seed = 2}), twin(dataset, {.batch_size = 5, .seed = 2});
  loader.next();
  twin.next();
  const auto good = loader.state();
  auto missing = good;
  missing.erase("permutation");
  auto wrong_size = good;
  wrong_size["size"] = lg::scalar_tensor(13, lg::int64);
  auto not_a_permutation = good;
  not_a_permutation["permutation"] = lg::zeros({12}, lg::int64);
  auto bad_generator = good;
  bad_generator["shuffle_generator"] = lg::from_vector(std::vector<std::int64_t>{120, 121}, {2});
  using test_data::check_throws_with;
  check_throws_with<lg::ValueError>([&] { loader.load_state(missing); }, {"DataLoader::load_state", "\"permutation\""});
  check_throws_with<lg::ValueError>([&] { loader.load_state(wrong_size); }, {"\"size\"", "expected 12", "found 13"});
  check_throws_with<lg::ValueError>([&] { loader.load_state(not_a_permutation); }, {"expected a permutation"});
  BOOST_CHECK_THROW(loader.load_state(bad_generator), lg::ValueError);
  BOOST_TEST(drain(loader, 2) == drain(twin, 2), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(invalid_options_are_rejected) {
  const auto dataset = numbered_dataset(4);
  BOOST_CHECK_THROW(lg::data::DataLoader(dataset, {.batch_size = 0}), lg::ValueError);
  lg::data::Dataset mismatched = dataset;
  mismatched.labels = lg::zeros({3}, lg::int64);
  BOOST_CHECK_THROW(lg::data::DataLoader(mismatched, {}), lg::ShapeError);
}

BOOST_AUTO_TEST_SUITE_END()
