// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// Compile-fail check: RFC 5321 has no section 4.9.9.

#include "spec/ref.hpp"

constexpr smtpspec::spec::ref bad_ref{"4.9.9"};
