// latentgeo: autodiff, autoencoders and latent-space geometry, from scratch.
//
// A five-minute tour:
//
//   #include <latentgeo.hpp>
//
//   lg::manual_seed(0);                                  // one seeded generator
//   auto x = lg::randn({64, 3});                         // float32 on the CPU
//   auto w = lg::randn({3, 2}, lg::float64).requires_grad_();
//   auto y = lg::tanh(x.to(lg::float64).matmul(w)).sum();
//   y.backward();                                        // w.grad() now holds dy/dw
//   auto y2 = lg::tanh(x.to(lg::float64).matmul(w)).sum();       // a new graph: backward freed y's
//   auto g = lg::grad({y2}, {w}, {}, {.create_graph = true})[0]; // dy/dw again, itself differentiable
//   auto h = lg::grad({(g * g).sum()}, {w})[0];                  // a gradient of a gradient
//
// Tensors are handles: copying one copies the handle. Views (reshape,
// transpose, slice, expand) share storage. Every op records a node when an
// input requires grad; backward walks the nodes in reverse. Each op's backward
// is written with the same differentiable ops, so gradients of gradients work.
//
// Where to read next: docs/reading_order.md.
#pragma once

#include "autograd/blas_core.hpp"
#include "autograd/denormals.hpp"
#include "autograd/device.hpp"
#include "autograd/dtype.hpp"
#include "autograd/engine.hpp"
#include "autograd/error.hpp"
#include "autograd/factory.hpp"
#include "autograd/forward_mode.hpp"
#include "autograd/functional.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/gradcheck.hpp"
#include "autograd/graphviz.hpp"
#include "autograd/node.hpp"
#include "autograd/ops/op_list.hpp"
#include "autograd/ops/ops.hpp"
#include "autograd/random.hpp"
#include "autograd/shape.hpp"
#include "autograd/storage.hpp"
#include "autograd/tensor.hpp"
#include "autograd/threads.hpp"
#include "data/dataloader.hpp"
#include "data/dataset.hpp"
#include "data/idx.hpp"
#include "data/image_metrics.hpp"
#include "data/known_manifolds.hpp"
#include "data/line_plot.hpp"
#include "data/linked_circles.hpp"
#include "data/png.hpp"
#include "data/rasterize.hpp"
#include "data/sprites.hpp"
#include "manifold/cayley_transform.hpp"
#include "manifold/covariance.hpp"
#include "manifold/disentanglement.hpp"
#include "manifold/manifold.hpp"
#include "manifold/pairwise_distances.hpp"
#include "manifold/parzen.hpp"
#include "manifold/fixed_rank_psd.hpp"
#include "manifold/frechet_mean.hpp"
#include "manifold/geodesic.hpp"
#include "manifold/grassmann.hpp"
#include "manifold/intrinsic_dimension.hpp"
#include "manifold/kernel_pca.hpp"
#include "manifold/kernels.hpp"
#include "manifold/kmeans.hpp"
#include "manifold/latent_curves.hpp"
#include "manifold/principal_angles.hpp"
#include "manifold/product.hpp"
#include "manifold/pullback_metric.hpp"
#include "manifold/rank.hpp"
#include "manifold/rbf_variance.hpp"
#include "manifold/sliced_wasserstein.hpp"
#include "manifold/spd.hpp"
#include "manifold/sphere.hpp"
#include "manifold/stiefel.hpp"
#include "manifold/taylor_check.hpp"
#include "nn/autoencoders/any_autoencoder.hpp"
#include "nn/autoencoders/contractive_autoencoder.hpp"
#include "nn/autoencoders/conv_autoencoder.hpp"
#include "nn/autoencoders/denoising_autoencoder.hpp"
#include "nn/autoencoders/mlp_autoencoder.hpp"
#include "nn/autoencoders/saved_autoencoder.hpp"
#include "nn/autoencoders/stiefel_rkm.hpp"
#include "nn/autoencoders/strkm_networks.hpp"
#include "nn/autoencoders/variational_autoencoder.hpp"
#include "nn/checkpoint.hpp"
#include "nn/corruption.hpp"
#include "nn/jacobian_penalty.hpp"
#include "nn/nn.hpp"
#include "nn/progress.hpp"
#include "nn/softmax_regression.hpp"
#include "optim/optim.hpp"
