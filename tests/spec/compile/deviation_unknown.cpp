// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// Compile-fail check: "anything-goes" is not a catalogued deviation.

#include "spec/ref.hpp"

constexpr smtpspec::spec::deviation_id bad_switch{"anything-goes"};
