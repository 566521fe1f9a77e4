#define BOOST_TEST_MODULE test_checkpoint
#include <boost/test/unit_test.hpp>
