// A comparison between two arithmetic expressions over named values: sweep constraints
// ("take_profit_pct >= 2 * stop_loss_pct") and ranking filters ("max_drawdown_pct <= 20").
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tapegrid {

class Condition {
  public:
    // Bounds that keep parsing and evaluation's recursion far inside any thread's stack: no
    // useful condition comes near them.
    static constexpr std::size_t kMaxNesting = 200;  // parentheses and unary minus signs
    static constexpr std::size_t kMaxDepth = 1000;   // operations along one path of the tree

    // Parses `text`; `resolve(name)` gives a variable's index or nothing. Throws UserError with
    // the position, what was expected and what was found; an unknown name lists `valid_names`.
    static Condition parse(const std::string& text,
                           const std::function<std::optional<std::size_t>(const std::string&)>& resolve,
                           const std::string& valid_names);

    // Evaluates with the variables' values, indexed as resolve() numbered them: nothing when the
    // value is undefined (a division by zero, or NaN on either side).
    std::optional<bool> check(const double* variables) const;
    // check(), an undefined value counting as false (a filter a row's metrics cannot meet).
    bool holds(const double* variables) const;
    const std::string& text() const { return text_; }
    // The variables it reads.
    const std::vector<std::size_t>& variables() const { return variables_; }

  private:
    enum class Op : unsigned char { kNumber, kVariable, kAdd, kSubtract, kMultiply, kDivide, kNegate };
    struct Node {
        Op op;
        double number = 0.0;
        std::size_t index = 0;  // variable index, or the operands' node indices below
        std::size_t left = 0, right = 0;
    };
    enum class Relation : unsigned char { kLess, kLessEqual, kGreater, kGreaterEqual, kEqual, kNotEqual };

    double evaluate(std::size_t node, const double* variables, bool& divided_by_zero) const;
    bool compare(double left, double right) const;
    friend class ConditionParser;

    std::string text_;
    std::vector<Node> nodes_;
    std::size_t left_root_ = 0, right_root_ = 0;
    Relation relation_ = Relation::kLess;
    std::vector<std::size_t> variables_;
};

}  // namespace tapegrid
