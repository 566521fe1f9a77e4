// CPU gather/scatter family. index_select/index_add work on whole slices along
// `dim`; gather/scatter_add pick single elements. The adds run serially in
// index order, so repeated indices accumulate deterministically.
#include "autograd/backend/cpu/cpu_access.hpp"
#include "autograd/backend/cpu/cpu_kernels.hpp"
#include "autograd/backend/strided_iterator.hpp"

namespace lg::kernel::cpu {
namespace {

using cpu::base;
using cpu::check_cpu;


// Shape of t with dim `dim` set to 1 (the positions a slice walk visits).
Shape without_dim(const Shape& shape, std::int64_t dim) {
  Shape out = shape;
  out[dim] = 1;
  return out;
}

}  // namespace

void index_select(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& out) {
  visit_dtype(x.dtype(), [&]<class T>() {
    const std::int64_t* ip = base<std::int64_t>(index);
    const T* xp = base<T>(x);
    T* op = base<T>(out);
    const Shape slice = without_dim(out.shape(), dim);
    const auto layout = make_layout<2>(slice, {out.strides(), x.strides()});
    for (std::int64_t i = 0; i < index.numel(); ++i) {
      const std::int64_t from = ip[i * index.strides()[0]];
      for_each_row(layout, 0, layout.rows(), [&](const std::array<std::int64_t, 2>& at, std::int64_t n,
                                                 const std::array<std::int64_t, 2>& step) {
        T* o = op + at[0] + i * out.strides()[dim];
        const T* a = xp + at[1] + from * x.strides()[dim];
        for (std::int64_t j = 0; j < n; ++j) o[j * step[0]] = a[j * step[1]];
      });
    }
  });
}

void index_add(const Tensor& out, std::int64_t dim, const Tensor& index, const Tensor& source) {
  visit_dtype(out.dtype(), [&]<class T>() {
    const std::int64_t* ip = base<std::int64_t>(index);
    const T* sp = base<T>(source);
    T* op = base<T>(out);
    const Shape slice = without_dim(source.shape(), dim);
    const auto layout = make_layout<2>(slice, {out.strides(), source.strides()});
    for (std::int64_t i = 0; i < index.numel(); ++i) {
      const std::int64_t to = ip[i * index.strides()[0]];
      for_each_row(layout, 0, layout.rows(), [&](const std::array<std::int64_t, 2>& at, std::int64_t n,
                                                 const std::array<std::int64_t, 2>& step) {
        T* o = op + at[0] + to * out.strides()[dim];
        const T* s = sp + at[1] + i * source.strides()[dim];
        for (std::int64_t j = 0; j < n; ++j) o[j * step[0]] += s[j * step[1]];
      });
    }
  });
}

void gather(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& out) {
  visit_dtype(x.dtype(), [&]<class T>() {
    const std::int64_t* ip = base<std::int64_t>(index);
    const T* xp = base<T>(x);
    T* op = base<T>(out);
    // Walk index's shape; x is addressed with its own strides except along dim.
    Shape x_strides = x.strides();
    x_strides[dim] = 0;
    const auto layout = make_layout<3>(index.shape(), {out.strides(), index.strides(), x_strides});
    const std::int64_t dim_stride = x.strides()[dim];
    for_each_row(layout, 0, layout.rows(), [&](const std::array<std::int64_t, 3>& at, std::int64_t n,
                                               const std::array<std::int64_t, 3>& step) {
      for (std::int64_t j = 0; j < n; ++j)
        op[at[0] + j * step[0]] = xp[at[2] + j * step[2] + ip[at[1] + j * step[1]] * dim_stride];
    });
  });
}

void scatter_add(const Tensor& out, std::int64_t dim, const Tensor& index, const Tensor& source) {
  visit_dtype(out.dtype(), [&]<class T>() {
    const std::int64_t* ip = base<std::int64_t>(index);
    const T* sp = base<T>(source);
    T* op = base<T>(out);
    Shape out_strides = out.strides();
    out_strides[dim] = 0;
    const auto layout = make_layout<3>(index.shape(), {source.strides(), index.strides(), out_strides});
    const std::int64_t dim_stride = out.strides()[dim];
    for_each_row(layout, 0, layout.rows(), [&](const std::array<std::int64_t, 3>& at, std::int64_t n,
                                               const std::array<std::int64_t, 3>& step) {
      for (std::int64_t j = 0; j < n; ++j)
        op[at[2] + j * step[2] + ip[at[1] + j * step[1]] * dim_stride] += sp[at[0] + j * step[0]];
    });
  });
}

}  // namespace lg::kernel::cpu
