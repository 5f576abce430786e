// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// Compile check: a ref naming catalogued ids compiles.
// spec: 4.1.1.4 R-4.1.1.4-3 test

#include "spec/ref.hpp"

constexpr smtpspec::spec::ref valid_ref{"4.1.1.4", {"R-4.1.1.4-3"}, {114}};
constexpr smtpspec::spec::ref other_rfc_ref{"rfc7504/3"};
constexpr smtpspec::spec::deviation_id valid_switch{"bare-lf-in-data"};
