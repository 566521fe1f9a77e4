// One training step (zero_grad + forward + loss + backward + Adam step on a
// fixed random batch) of the same model in latentgeo and in libtorch, timed in
// one run, side by side:
//   MLP AE 784-512-256-32-256-512-784 (MSE) at batch 128 and 256;
//   the conv AE of nn/autoencoders/conv_autoencoder.hpp (BCE with logits) at 128 and 256;
//   the VAE of nn/autoencoders/variational_autoencoder.hpp with its defaults (MLP body
//   784-512-256, 16-d latent, Bernoulli likelihood; the negative ELBO) at 128 and 256;
//   the contractive AE of nn/autoencoders/contractive_autoencoder.hpp, untied, 784-512
//   sigmoid -> 784 sigmoid, BCE summed over inputs + 0.1 ||J_f(x)||_F^2, at 128 and 256,
//   the penalty in closed form ("CAE closed") and by double backward through one
//   random projection ("CAE dbl-bwd": Hutchinson with one Gaussian probe v, the
//   penalty ||J^T v||^2 from a vjp recorded with create_graph).
// Both sides start from the same weights (ours copied into torch) and the same
// batch, and the first step's losses must agree to 1e-5 relative, the second's
// (after one Adam update) to 1e-4.
//
// Noise. The VAE's eps and the Hutchinson probe are drawn afresh every step, by
// each side with its own generator (ours an lg::Generator passed to the public
// API, model.loss(x, model.forward(x, generator)); torch's torch::randn): that
// drawing is part of a step's cost on both sides. For the loss check the two
// sides must see the same noise, so before each checked step the noise ours is
// about to draw is drawn once more from a copy of its generator (ours draws it
// as the step's first randn of that shape from that generator) and handed to
// torch's step, which then uses it instead of drawing its own. Ours runs the
// same code in the check as in the timed steps; a wrong copy of the noise
// shows up as a failed check.
//
// Threads. latentgeo: lg::set_num_threads(n) sets OpenMP and OpenBLAS alike.
// libtorch: at::set_num_threads(t) sets its intra-op OpenMP pool (and oneDNN's);
// its GEMMs go to OpenBLAS (sgemm_, from the same libopenblas as ours, printed
// below), whose own pthread pool is a separate knob, openblas_set_num_threads(b).
// Row "1": ours 1, torch t1 + BLAS b1. Row "2": ours 2; torch tries all of
// {t1, t2} x {b1, b2} and its best is reported, named.
//
// OpenBLAS kernels: both sides share one OpenBLAS, whose kernels latentgeo
// upgrades at start-up on CPUs it misdetects (Note [OpenBLAS core]; printed).
// On a CPU with AVX-512 our float32 GEMMs run on our own kernel instead (Note
// [own sgemm]; printed); LATENTGEO_GEMM=openblas puts them back on OpenBLAS.
// LATENTGEO_OPENBLAS_CORE=keep or OPENBLAS_CORETYPE=... compares others. Measured
// on 2 cores: OpenMP workers that spin after a parallel region while OpenBLAS's
// pthread workers spin after a GEMM make 3 busy threads on 2 cores, and any
// row with OpenMP at 2 threads runs slower than at 1 (ours, torch t2+b2), unless
// OMP_WAIT_POLICY=passive is in the environment (also printed); a busy machine
// makes it far worse, so run on a quiet one (the load is printed per row).
//   bench_training_step [--steps N] [--warmup N] [--only mlp|conv|vae|cae] [--cores 1|2] [--rounds R]
//   bench_training_step --profile mlp|conv|vae|cae-closed|cae-dbl [--batch B] [--steps N] [--threads T]
//     (ours only, for a profiler; --only cae runs both contractive rows)
#include <dlfcn.h>

#include <ATen/Parallel.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "autograd/backend/cpu/cpu_backend.hpp"
#include "step_timer.hpp"
#include "torch_models.hpp"

extern "C" {
void openblas_set_num_threads(int threads);
char* openblas_get_config();
}

namespace {

using lg::bench::Candidate;
using lg::bench::format;

// Which shared object a symbol resolves to for everyone in this process.
std::string provider_of(const char* symbol) {
  Dl_info info{};
  void* address = dlsym(RTLD_DEFAULT, symbol);
  return address != nullptr && dladdr(address, &info) != 0 && info.dli_fname ? info.dli_fname : "(not found)";
}

struct Split {
  int torch_threads, blas_threads;
  std::string name() const { return format("t%d+b%d", torch_threads, blas_threads); }
  void apply() const {
    at::set_num_threads(torch_threads);
    openblas_set_num_threads(blas_threads);
  }
};

struct RowResult {
  std::string model;
  std::int64_t batch;
  int cores;
  lg::bench::Stats ours;
  std::vector<std::pair<Split, lg::bench::Stats>> torch;  // every split tried
};

// A model pair on one batch: both sides' steps and the first-step loss check.
struct Workload {
  std::string model;
  std::int64_t batch;
  std::function<double()> ours_step;   // returns the loss before the update
  std::function<double()> torch_step;  // draws its own noise, if the model takes any
  // Models that draw noise: the noise ours' next step will draw, and a torch step that takes it.
  std::function<torch::Tensor()> ours_next_noise;
  std::function<double(const torch::Tensor&)> torch_step_with_noise;
};

// Our loss as a user writes it: the public forward and loss, noise from the generator.
lg::Tensor ours_loss(const lg::nn::MlpAutoencoder& model, const lg::Tensor& x, lg::Generator&) {
  return model.loss(x, model.forward(x));
}
lg::Tensor ours_loss(const lg::nn::ConvAutoencoder& model, const lg::Tensor& x, lg::Generator&) {
  return model.loss(x, model.forward(x));
}
lg::Tensor ours_loss(const lg::nn::VariationalAutoencoder& model, const lg::Tensor& x, lg::Generator& generator) {
  return model.loss(x, model.forward(x, generator)).loss;
}
lg::Tensor ours_loss(const lg::nn::ContractiveAutoencoder& model, const lg::Tensor& x, lg::Generator& generator) {
  return model.loss(x, model.forward(x), &generator).total;
}

// noise_shape: the shape of the one randn a step of ours draws from its generator
// (the VAE's eps, the Hutchinson probe); empty for models that draw none.
template <class LgModel, class TorchModel>
Workload make_workload(const std::string& name, std::shared_ptr<LgModel> ours, std::shared_ptr<TorchModel> theirs,
                       const lg::Shape& input_shape, const lg::Shape& noise_shape = {}) {
  lg::Generator generator(1234);
  const lg::Tensor x = lg::rand(input_shape, lg::float32, &generator);
  lg::bench::copy_parameters(*ours, *theirs);
  const torch::Tensor tx = lg::bench::to_torch(x);
  auto noise = std::make_shared<lg::Generator>(99);  // ours' per-step noise
  auto adam = std::make_shared<lg::optim::Adam>(ours->named_parameters(), lg::optim::AdamOptions{.lr = 1e-3});
  auto torch_adam = std::make_shared<torch::optim::Adam>(theirs->parameters(), torch::optim::AdamOptions(1e-3));
  Workload w{name, input_shape[0], {}, {}, {}, {}};
  w.ours_step = [ours, adam, x, noise] {
    adam->zero_grad();
    const lg::Tensor loss = ours_loss(*ours, x, *noise);
    loss.backward();
    adam->step();
    return loss.item<double>();
  };
  const auto torch_step = [theirs, torch_adam, tx](const torch::Tensor* given) {
    lg::bench::drop_gradients(*theirs);
    torch::Tensor loss;
    if constexpr (requires { theirs->loss(tx, tx); })
      loss = given != nullptr ? theirs->loss(tx, *given) : theirs->loss(tx);
    else
      loss = theirs->loss(tx);
    loss.backward();
    torch_adam->step();
    return static_cast<double>(loss.item<float>());
  };
  w.torch_step = [torch_step] { return torch_step(nullptr); };
  if (!noise_shape.empty()) {
    w.ours_next_noise = [noise, noise_shape] {
      lg::Generator copy = *noise;
      return lg::bench::to_torch(lg::randn(noise_shape, lg::float32, &copy));
    };
    w.torch_step_with_noise = [torch_step](const torch::Tensor& given) { return torch_step(&given); };
  }
  return w;
}

// model: mlp, conv, vae, cae-closed or cae-dbl.
Workload make(const std::string& model, std::int64_t batch) {
  lg::Generator generator(42);
  using lg::bench::TorchContractiveAutoencoder;
  if (model == "mlp")
    return make_workload(
        "MLP AE", std::make_shared<lg::nn::MlpAutoencoder>(lg::nn::MlpAutoencoderOptions{.generator = &generator}),
        std::make_shared<lg::bench::TorchMlpAutoencoder>(), {batch, 784});
  if (model == "conv")
    return make_workload(
        "conv AE", std::make_shared<lg::nn::ConvAutoencoder>(lg::nn::ConvAutoencoderOptions{.generator = &generator}),
        std::make_shared<lg::bench::TorchConvAutoencoder>(), {batch, 1, 28, 28});
  if (model == "vae")
    return make_workload("VAE",
                         std::make_shared<lg::nn::VariationalAutoencoder>(
                             lg::nn::VariationalAutoencoderOptions{.generator = &generator}),
                         std::make_shared<lg::bench::TorchVariationalAutoencoder>(), {batch, 784}, {batch, 16});
  if (model == "cae-closed" || model == "cae-dbl") {
    const bool closed = model == "cae-closed";
    const lg::nn::ContractiveAutoencoderOptions options{
        .code_size = 512,
        .tied_weights = false,
        .penalty_weight = 0.1,
        .penalty_method =
            closed ? lg::nn::JacobianPenaltyMethod::closed_form : lg::nn::JacobianPenaltyMethod::hutchinson,
        .hutchinson_draws = 1,
        .generator = &generator};
    return make_workload(closed ? "CAE closed" : "CAE dbl-bwd",
                         std::make_shared<lg::nn::ContractiveAutoencoder>(options),
                         std::make_shared<TorchContractiveAutoencoder>(
                             closed ? TorchContractiveAutoencoder::Penalty::closed_form
                                    : TorchContractiveAutoencoder::Penalty::hutchinson,
                             options.penalty_weight),
                         {batch, 784}, closed ? lg::Shape{} : lg::Shape{batch, 512});
  }
  throw std::invalid_argument("unknown model " + model + " (mlp, conv, vae, cae-closed or cae-dbl)");
}

// Steps 1 and 2 on both sides at one thread: the same loss before any update
// (the same computation), and after one Adam update (the same optimiser). A
// model that draws noise gets the same noise on both sides (see the top).
bool check_losses(const Workload& w) {
  lg::set_num_threads(1);
  Split{1, 1}.apply();
  bool ok = true;
  for (int step = 1; step <= 2; ++step) {
    const torch::Tensor noise = w.ours_next_noise ? w.ours_next_noise() : torch::Tensor();
    const double ours = w.ours_step();
    const double theirs = noise.defined() ? w.torch_step_with_noise(noise) : w.torch_step();
    const double relative = std::abs(ours - theirs) / std::abs(theirs);
    const double tolerance = step == 1 ? 1e-5 : 1e-4;
    ok = ok && relative <= tolerance;
    std::printf("  %-11s batch %3lld step %d loss: latentgeo %.8f libtorch %.8f relative %.1e (%s %.0e)\n",
                w.model.c_str(), static_cast<long long>(w.batch), step, ours, theirs, relative,
                relative <= tolerance ? "<=" : "FAILS", tolerance);
  }
  return ok;
}

RowResult time_row(const Workload& w, int cores, const lg::bench::StepTimingOptions& options) {
  std::vector<Split> splits;
  for (int t = 1; t <= cores; ++t)
    for (int b = 1; b <= cores; ++b) splits.push_back({t, b});
  std::vector<Candidate> candidates{
      {"latentgeo", [cores] { lg::set_num_threads(cores); }, [&w] { w.ours_step(); }}};
  for (const Split& split : splits)
    candidates.push_back({"libtorch " + split.name(), [split] { split.apply(); }, [&w] { w.torch_step(); }});
  const auto stats = lg::bench::time_steps(candidates, options);
  RowResult row{w.model, w.batch, cores, stats[0], {}};
  for (std::size_t i = 0; i < splits.size(); ++i) row.torch.push_back({splits[i], stats[i + 1]});
  return row;
}

// The steps a profiler looks at: callgrind --toggle-collect='*profiled_steps*'.
[[gnu::noinline]] double profiled_steps(const Workload& w, int steps) {
  double loss = 0.0;
  for (int i = 0; i < steps; ++i) loss = w.ours_step();
  return loss;
}

std::string one_minute_load() {
  const std::string all = lg::bench::load_average();
  return all.substr(0, all.find(' '));
}

int profile(const std::string& model, std::int64_t batch, int steps, int threads) {
  lg::set_num_threads(threads);
  const Workload w = make(model, batch);
  w.ours_step();  // warm-up: the allocator's cache fills on the first step
  const auto start = std::chrono::steady_clock::now();
  const double loss = profiled_steps(w, steps);
  std::printf("%s batch %lld, %d threads: %d steps of ours, %.2f ms/step, last loss %.6f\n", w.model.c_str(),
              static_cast<long long>(batch), threads, steps, lg::bench::elapsed_ms(start) / steps, loss);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  lg::bench::StepTimingOptions options;
  std::string only, profile_model;
  int max_cores = 2;
  std::int64_t profile_batch = 32;
  int profile_steps = 3, profile_threads = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--steps") options.timed_steps = profile_steps = std::max(1, std::atoi(value.c_str()));
    else if (flag == "--warmup") options.warmup_steps = std::max(0, std::atoi(value.c_str()));
    else if (flag == "--rounds") options.rounds = std::max(1, std::atoi(value.c_str()));
    else if (flag == "--only") only = value;
    else if (flag == "--cores") max_cores = std::clamp(std::atoi(value.c_str()), 1, 2);
    else if (flag == "--profile") profile_model = value;
    else if (flag == "--batch") profile_batch = std::atoll(value.c_str());
    else if (flag == "--threads") profile_threads = std::max(1, std::atoi(value.c_str()));
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  if (!profile_model.empty()) {
    try {
      return profile(profile_model, profile_batch, profile_steps, profile_threads);
    } catch (const std::invalid_argument& error) {
      std::fprintf(stderr, "--profile: %s\n", error.what());
      return 2;
    }
  }
  options.timed_steps = std::max(20, options.timed_steps);
  if (!only.empty() && only != "mlp" && only != "conv" && only != "vae" && only != "cae") {
    std::fprintf(stderr, "--only takes mlp, conv, vae or cae, got %s\n", only.c_str());
    return 2;
  }

  const lg::BlasCoreChoice core = lg::blas_core();
  const char* chooser = core.source == lg::BlasCoreChoice::Source::latentgeo     ? "switched to by latentgeo"
                        : core.source == lg::BlasCoreChoice::Source::environment ? "from OPENBLAS_CORETYPE"
                                                                                 : "OpenBLAS's own detection";
  const char* wait_policy = std::getenv("OMP_WAIT_POLICY");
  std::printf("bench_training_step: latentgeo vs libtorch %s, one training step (Adam lr 1e-3)\n", TORCH_VERSION);
  std::printf("load average      %s\n", lg::bench::load_average().c_str());
  std::printf("OpenBLAS core     %s (%s), for both sides' OpenBLAS calls\n", core.active.c_str(), chooser);
  std::printf("latentgeo kernels %s\n", lg::cpu_kernels_in_use().c_str());
  std::printf("OpenBLAS config   %s\n", openblas_get_config());
  std::printf("OMP_WAIT_POLICY   %s\n", wait_policy ? wait_policy : "(unset)");
  std::printf("sgemm_ from       %s\ncblas_sgemm from  %s\n", provider_of("sgemm_").c_str(),
              provider_of("cblas_sgemm").c_str());
  std::printf("libtorch oneDNN   %s; torch zero_grad drops gradients (set_to_none), as ours\n",
              at::hasMKLDNN() ? "yes" : "no");
  std::printf("warm-up %d steps, then %d timed steps per candidate in %d rounds (each later round after %d\n"
              "untimed steps), candidates taking turns\n\n",
              options.warmup_steps, options.timed_steps, std::min(options.rounds, options.timed_steps),
              options.rewarm_steps);

  std::vector<Workload> workloads;
  for (const std::string model : {"mlp", "conv", "vae", "cae-closed", "cae-dbl"})
    if (only.empty() || only == model || (only == "cae" && model.starts_with("cae")))
      for (std::int64_t batch : {128, 256}) workloads.push_back(make(model, batch));

  std::printf("loss check (identical weights and batch, 1 thread):\n");
  bool same = true;
  for (const Workload& w : workloads) same = check_losses(w) && same;
  if (!same) std::printf("LOSS MISMATCH: the two sides do not compute the same thing\n");
  std::printf("\n");

  const lg::bench::Table table({{"model", 11}, {"batch", 5}, {"cores", 5}, {"latentgeo ms/step", 22},
                                {"libtorch ms/step (best)", 23}, {"torch split", 11}, {"ratio", 5},
                                {"load", 4}});
  table.print_header();
  std::vector<RowResult> rows;
  for (const Workload& w : workloads)
    for (int cores = 1; cores <= max_cores; ++cores) {
      RowResult row = time_row(w, cores, options);
      const auto best = std::min_element(row.torch.begin(), row.torch.end(), [](const auto& a, const auto& b) {
        return a.second.median_ms < b.second.median_ms;
      });
      table.print_row({row.model, std::to_string(row.batch), std::to_string(cores), lg::bench::spread(row.ours),
                       lg::bench::spread(best->second), best->first.name(),
                       format("%.2f", row.ours.median_ms / best->second.median_ms), one_minute_load()});
      rows.push_back(std::move(row));
    }
  std::printf("ratio = latentgeo median / libtorch best median (below 1: we are faster); load = 1-minute load\n"
              "average when the row ended (our own spinning threads count in it too)\n");

  if (max_cores < 2) return same ? 0 : 1;
  std::printf("\nlibtorch splits at 2 cores (t = at::set_num_threads, b = openblas_set_num_threads):\n");
  const lg::bench::Table splits({{"model", 11}, {"batch", 5}, {"t1+b1", 20}, {"t1+b2", 20}, {"t2+b1", 20},
                                 {"t2+b2", 20}});
  splits.print_header();
  for (const RowResult& row : rows) {
    if (row.cores != 2) continue;
    std::vector<std::string> cells{row.model, std::to_string(row.batch)};
    for (const auto& [split, stats] : row.torch) cells.push_back(lg::bench::spread(stats));
    splits.print_row(cells);
  }
  std::printf("\nload average at the end %s\n", lg::bench::load_average().c_str());
  return same ? 0 : 1;
}
