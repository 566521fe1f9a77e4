#define BOOST_TEST_MODULE test_fast_kernels
#include <boost/test/unit_test.hpp>
