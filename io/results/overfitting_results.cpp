// block_returns.bin and the /overfitting group of results.h5.
#include "io/results/overfitting_results.h"

#include <hdf5.h>

#include <bit>
#include <filesystem>

#include "engine/core/errors.h"
#include "io/hdf5/hdf5_attribute.h"
#include "io/hdf5/hdf5_handle.h"

namespace tapegrid {

static_assert(std::endian::native == std::endian::little, "block_returns.bin is written in the host's byte order");

BlockReturnsFile::BlockReturnsFile(std::string path, std::size_t blocks, std::optional<std::uint64_t> resume_rows)
    : path_(std::move(path)) {
    namespace fs = std::filesystem;
    if (resume_rows) {
        const std::uint64_t keep = *resume_rows * 2 * blocks * sizeof(double);
        std::error_code error;
        const std::uint64_t size = fs::exists(path_) ? fs::file_size(path_, error) : 0;
        if (!error && size > keep) fs::resize_file(path_, keep, error);
        if (error) throw UserError(path_ + ": cannot cut back to the checkpoint's rows: " + error.message());
        out_.open(path_, std::ios::binary | std::ios::app);
    } else {
        out_.open(path_, std::ios::binary | std::ios::trunc);
    }
    if (!out_) throw UserError(path_ + ": cannot write");
}

void BlockReturnsFile::append(const std::vector<double>& sums_and_squares) {
    out_.write(reinterpret_cast<const char*>(sums_and_squares.data()),
               static_cast<std::streamsize>(sums_and_squares.size() * sizeof(double)));
    if (!out_) throw UserError(path_ + ": cannot write (disk full?)");
}

void BlockReturnsFile::flush() {
    out_.flush();
    if (!out_) throw UserError(path_ + ": cannot write (disk full?)");
}

std::vector<double> BlockReturnsFile::read_all() {
    flush();
    return read_block_returns_file(path_);
}

std::vector<double> read_block_returns_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::error_code error;
    const std::uint64_t size = std::filesystem::file_size(path, error);
    if (!in || error) throw UserError(path + ": cannot read");
    std::vector<double> values(size / sizeof(double));
    in.read(reinterpret_cast<char*>(values.data()), static_cast<std::streamsize>(values.size() * sizeof(double)));
    if (!in) throw UserError(path + ": cannot read");
    return values;
}

namespace {

void write_matrix(hid_t group, const std::string& name, const double* values, hsize_t rows, hsize_t columns, int rank) {
    const hsize_t dims[2] = {rows, columns};
    const h5::Handle space = h5::make_dataspace(h5::check_id(H5Screate_simple(rank, dims, nullptr), name));
    const h5::Handle dataset = h5::make_dataset(h5::check_id(
        H5Dcreate2(group, name.c_str(), H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), name));
    if (rows * columns > 0)
        h5::check_status(H5Dwrite(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values), name);
}

void write_vector(hid_t group, const std::string& name, const std::vector<double>& values) {
    write_matrix(group, name, values.data(), values.size(), 1, 1);
}

}  // namespace

void write_overfitting_results(const std::string& results_h5, const OverfittingReport& report) {
    h5::silence_hdf5_errors();
    const h5::Handle file =
        h5::open_file<UserError>(results_h5, H5F_ACC_RDWR, H5P_DEFAULT, results_h5 + ": cannot open");
    if (h5::link_exists(file.get(), "overfitting")) H5Ldelete(file.get(), "overfitting", H5P_DEFAULT);
    const h5::Handle group = h5::create_group(file.get(), "overfitting");
    h5::write_attribute(group.get(), "top_combination", static_cast<std::int64_t>(report.combination));
    h5::write_attribute(group.get(), "probabilistic_sharpe_ratio", report.probabilistic_sharpe);
    h5::write_attribute(group.get(), "deflated_sharpe_ratio", report.deflated_sharpe);
    h5::write_attribute(group.get(), "trials", static_cast<std::int64_t>(report.trials));
    h5::write_attribute(group.get(), "sharpe_variance", report.sharpe_variance);
    if (report.matrix) {
        const BlockReturns& m = *report.matrix;
        std::vector<double> counts(m.counts.begin(), m.counts.end());
        write_matrix(group.get(), "block_sums", m.sums.data(), m.combinations(), m.blocks, 2);
        write_matrix(group.get(), "block_squares", m.squares.data(), m.combinations(), m.blocks, 2);
        write_vector(group.get(), "block_counts", counts);
    }
    if (report.pbo) {
        const PboResult& pbo = *report.pbo;
        h5::write_attribute(group.get(), "pbo", pbo.pbo);
        h5::write_attribute(group.get(), "splits_total", static_cast<std::int64_t>(pbo.splits_total));
        h5::write_attribute(group.get(), "splits_evaluated", static_cast<std::int64_t>(pbo.splits_evaluated));
        write_vector(group.get(), "logits", pbo.logits);
        write_vector(group.get(), "in_sample_sharpe", pbo.in_sample_sharpe);
        write_vector(group.get(), "out_of_sample_sharpe", pbo.out_of_sample_sharpe);
    } else {
        h5::write_attribute(group.get(), "pbo_skipped", report.pbo_skipped);
    }
}

}  // namespace tapegrid
