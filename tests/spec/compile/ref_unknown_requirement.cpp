// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// Compile-fail check: section 4.1.1.4 has eight keywords, so there is no 99th.

#include "spec/ref.hpp"

constexpr smtpspec::spec::ref bad_ref{"4.1.1.4", {"R-4.1.1.4-99"}};
