// The condition parser: recursive descent over a one-line expression.
#include "engine/sweep/expression.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "engine/core/errors.h"

namespace tapegrid {

class ConditionParser {
  public:
    ConditionParser(Condition& condition, const std::function<std::optional<std::size_t>(const std::string&)>& resolve,
                    const std::string& valid_names)
        : c_(condition), text_(condition.text_), resolve_(resolve), valid_names_(valid_names) {}

    void parse() {
        c_.left_root_ = sum();
        skip_space();
        static const std::pair<const char*, Condition::Relation> kRelations[] = {
            {"<=", Condition::Relation::kLessEqual}, {">=", Condition::Relation::kGreaterEqual},
            {"==", Condition::Relation::kEqual},     {"!=", Condition::Relation::kNotEqual},
            {"<", Condition::Relation::kLess},       {">", Condition::Relation::kGreater}};
        bool found = false;
        for (const auto& [symbol, relation] : kRelations) {
            if (text_.compare(position_, std::char_traits<char>::length(symbol), symbol) == 0) {
                c_.relation_ = relation;
                position_ += std::char_traits<char>::length(symbol);
                found = true;
                break;
            }
        }
        if (!found) fail("a comparison (<, <=, >, >=, == or !=)");
        c_.right_root_ = sum();
        skip_space();
        if (position_ != text_.size()) fail("the end of the condition");
    }

  private:
    [[noreturn]] void fail(const std::string& expected) {
        const std::string found = position_ < text_.size() ? fmt::format("'{}'", text_.substr(position_)) : "the end";
        throw UserError(fmt::format("condition '{}': at character {}: expected {}, found {}", text_, position_ + 1,
                                    expected, found));
    }

    void skip_space() {
        while (position_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[position_]))) ++position_;
    }

    // A node's operands are added before it, so its depth follows from theirs. Evaluation recurses
    // once per level: a chain of 100,000 terms would overflow the stack, so depth is bounded.
    std::size_t add(Condition::Node node) {
        std::size_t depth = 1;
        if (node.op != Condition::Op::kNumber && node.op != Condition::Op::kVariable) {
            depth += depths_[node.left];
            if (node.op != Condition::Op::kNegate) depth = std::max(depth, 1 + depths_[node.right]);
        }
        if (depth > Condition::kMaxDepth)
            fail(fmt::format("a shorter expression (at most {} operations deep)", Condition::kMaxDepth));
        depths_.push_back(depth);
        c_.nodes_.push_back(node);
        return c_.nodes_.size() - 1;
    }

    // Parentheses and signs recurse in the parser itself, with no node to count them.
    struct Nesting {
        explicit Nesting(ConditionParser& parser) : parser_(parser) {
            if (++parser_.nesting_ > Condition::kMaxNesting)
                parser_.fail(fmt::format("at most {} nested parentheses or signs", Condition::kMaxNesting));
        }
        ~Nesting() { --parser_.nesting_; }
        Nesting(const Nesting&) = delete;
        Nesting& operator=(const Nesting&) = delete;
        ConditionParser& parser_;
    };

    std::size_t sum() {
        std::size_t left = product();
        for (;;) {
            skip_space();
            if (position_ >= text_.size() || (text_[position_] != '+' && text_[position_] != '-')) return left;
            const bool plus = text_[position_++] == '+';
            const std::size_t right = product();
            left = add({plus ? Condition::Op::kAdd : Condition::Op::kSubtract, 0.0, 0, left, right});
        }
    }

    std::size_t product() {
        std::size_t left = unary();
        for (;;) {
            skip_space();
            if (position_ >= text_.size() || (text_[position_] != '*' && text_[position_] != '/')) return left;
            const bool times = text_[position_++] == '*';
            const std::size_t right = unary();
            left = add({times ? Condition::Op::kMultiply : Condition::Op::kDivide, 0.0, 0, left, right});
        }
    }

    std::size_t unary() {
        skip_space();
        if (position_ < text_.size() && text_[position_] == '-') {
            ++position_;
            const Nesting nesting(*this);
            const std::size_t operand = unary();
            return add({Condition::Op::kNegate, 0.0, 0, operand, 0});
        }
        return primary();
    }

    std::size_t primary() {
        skip_space();
        if (position_ >= text_.size()) fail("a number, a name or '('");
        const char c = text_[position_];
        if (c == '(') {
            ++position_;
            const Nesting nesting(*this);
            const std::size_t inner = sum();
            skip_space();
            if (position_ >= text_.size() || text_[position_] != ')') fail("')'");
            ++position_;
            return inner;
        }
        if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
            double value = 0;
            const auto [end, error] = std::from_chars(text_.data() + position_, text_.data() + text_.size(), value);
            if (error != std::errc()) fail("a number");
            position_ = static_cast<std::size_t>(end - text_.data());
            return add({Condition::Op::kNumber, value, 0, 0, 0});
        }
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            const std::size_t start = position_;
            while (position_ < text_.size() &&
                   (std::isalnum(static_cast<unsigned char>(text_[position_])) || text_[position_] == '_'))
                ++position_;
            const std::string name = text_.substr(start, position_ - start);
            const auto index = resolve_(name);
            if (!index)
                throw UserError(
                    fmt::format("condition '{}': unknown name '{}'; expected one of {}", text_, name, valid_names_));
            if (std::find(c_.variables_.begin(), c_.variables_.end(), *index) == c_.variables_.end())
                c_.variables_.push_back(*index);
            return add({Condition::Op::kVariable, 0.0, *index, 0, 0});
        }
        fail("a number, a name or '('");
    }

    Condition& c_;
    const std::string& text_;
    const std::function<std::optional<std::size_t>(const std::string&)>& resolve_;
    const std::string& valid_names_;
    std::size_t position_ = 0;
    std::size_t nesting_ = 0;
    std::vector<std::size_t> depths_;  // each node's depth, parallel to c_.nodes_
};

Condition Condition::parse(const std::string& text,
                           const std::function<std::optional<std::size_t>(const std::string&)>& resolve,
                           const std::string& valid_names) {
    Condition condition;
    condition.text_ = text;
    ConditionParser(condition, resolve, valid_names).parse();
    return condition;
}

double Condition::evaluate(std::size_t index, const double* variables, bool& divided_by_zero) const {
    const Node& node = nodes_[index];
    switch (node.op) {
        case Op::kNumber:
            return node.number;
        case Op::kVariable:
            return variables[node.index];
        case Op::kAdd:
            return evaluate(node.left, variables, divided_by_zero) + evaluate(node.right, variables, divided_by_zero);
        case Op::kSubtract:
            return evaluate(node.left, variables, divided_by_zero) - evaluate(node.right, variables, divided_by_zero);
        case Op::kMultiply:
            return evaluate(node.left, variables, divided_by_zero) * evaluate(node.right, variables, divided_by_zero);
        case Op::kDivide: {
            const double numerator = evaluate(node.left, variables, divided_by_zero);
            const double denominator = evaluate(node.right, variables, divided_by_zero);
            divided_by_zero |= denominator == 0.0;
            return numerator / denominator;
        }
        case Op::kNegate:
            return -evaluate(node.left, variables, divided_by_zero);
    }
    return 0.0;
}

std::optional<bool> Condition::check(const double* variables) const {
    bool divided_by_zero = false;
    const double left = evaluate(left_root_, variables, divided_by_zero);
    const double right = evaluate(right_root_, variables, divided_by_zero);
    if (divided_by_zero || std::isnan(left) || std::isnan(right)) return std::nullopt;
    return compare(left, right);
}

bool Condition::holds(const double* variables) const {
    return check(variables).value_or(false);
}

bool Condition::compare(double left, double right) const {
    switch (relation_) {
        case Relation::kLess:
            return left < right;
        case Relation::kLessEqual:
            return left <= right;
        case Relation::kGreater:
            return left > right;
        case Relation::kGreaterEqual:
            return left >= right;
        case Relation::kEqual:
            return left == right;
        case Relation::kNotEqual:
            return left != right;
    }
    return false;
}

}  // namespace tapegrid
