// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "spec/catalogue.hpp"

#include <algorithm>
#include <array>

namespace smtpspec::spec
{

namespace
{
#include "spec/catalogue_data.inc"

template <typename Table, typename Key, typename Projection>
auto find_in(const Table& table, const Key& key, Projection project) noexcept
    -> const typename Table::value_type*
{
    const auto it = std::ranges::find(table, key, project);
    return it == table.end() ? nullptr : &*it;
}
}  // namespace

std::span<const section_entry> sections() noexcept { return section_table; }

std::span<const requirement_entry> requirements() noexcept { return requirement_table; }

std::span<const wg_issue_entry> wg_issues() noexcept { return wg_issue_table; }

std::span<const reply_code_entry> reply_codes() noexcept { return reply_code_table; }

std::span<const deviation_entry> deviations() noexcept { return deviation_table; }

std::span<const bis_change_entry> bis_changes() noexcept { return bis_change_table; }

std::span<const extension_entry> extensions() noexcept { return extension_table; }

const section_entry* find_section(std::string_view id) noexcept
{
    return find_in(section_table, id, &section_entry::id);
}

const requirement_entry* find_requirement(std::string_view id) noexcept
{
    return find_in(requirement_table, id, &requirement_entry::id);
}

const wg_issue_entry* find_wg_issue(int number) noexcept
{
    return find_in(wg_issue_table, number, &wg_issue_entry::number);
}

const reply_code_entry* find_reply_code(int code) noexcept
{
    return find_in(reply_code_table, code, &reply_code_entry::code);
}

const deviation_entry* find_deviation(std::string_view id) noexcept
{
    return find_in(deviation_table, id, &deviation_entry::id);
}

const bis_change_entry* find_bis_change(std::string_view requirement) noexcept
{
    return find_in(bis_change_table, requirement, &bis_change_entry::requirement);
}

const extension_entry* find_extension(std::string_view keyword) noexcept
{
    return find_in(extension_table, keyword, &extension_entry::keyword);
}

std::string to_string(const ref& r)
{
    std::string out{r.section().str()};
    for (const auto& id : r.requirements()) {
        out += ' ';
        out += id.str();
    }
    for (const auto& issue : r.issues()) {
        out += " WG#";
        out += std::to_string(issue.number());
    }
    return out;
}

}  // namespace smtpspec::spec
