// RAII ownership of HDF5 ids, and HDF5's error stack turned into tapegrid's exceptions.
#pragma once

#include <hdf5.h>

#include <string>
#include <utility>
#include <vector>

#include "engine/core/errors.h"

namespace tapegrid::h5 {

// Owns one HDF5 id and closes it with the matching H5?close function.
class Handle {
  public:
    using Closer = herr_t (*)(hid_t);

    Handle() = default;
    Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)), closer_(other.closer_) {}
    Handle& operator=(Handle&& other) noexcept {
        if (this != &other) {
            reset();
            id_ = std::exchange(other.id_, H5I_INVALID_HID);
            closer_ = other.closer_;
        }
        return *this;
    }
    ~Handle() { reset(); }

    hid_t get() const { return id_; }
    explicit operator bool() const { return id_ >= 0; }

    void reset() {
        if (id_ >= 0 && closer_ != nullptr) closer_(id_);
        id_ = H5I_INVALID_HID;
    }

    // Closes now and reports a failure (closing a file flushes it, which can fail).
    herr_t close() {
        herr_t status = 0;
        if (id_ >= 0 && closer_ != nullptr) status = closer_(id_);
        id_ = H5I_INVALID_HID;
        return status;
    }

  private:
    hid_t id_ = H5I_INVALID_HID;
    Closer closer_ = nullptr;
};

// Turns HDF5's automatic error printing off once per process; tapegrid reports errors itself.
void silence_hdf5_errors();

// The most specific message on HDF5's error stack ("" when it is empty).
std::string hdf5_error_text();

// Throws Error with "context: <HDF5's message>" when the id or status is negative.
template <class Error = InternalError>
hid_t check_id(hid_t id, const std::string& context) {
    if (id < 0) throw Error(context + ": " + hdf5_error_text());
    return id;
}

template <class Error = InternalError>
void check_status(herr_t status, const std::string& context) {
    if (status < 0) throw Error(context + ": " + hdf5_error_text());
}

template <class Error = InternalError>
Handle open_file(const std::string& path, unsigned flags, hid_t access_plist, const std::string& context) {
    return Handle(check_id<Error>(H5Fopen(path.c_str(), flags, access_plist), context), H5Fclose);
}

inline Handle make_file(hid_t id) {
    return Handle(id, H5Fclose);
}
inline Handle make_group(hid_t id) {
    return Handle(id, H5Gclose);
}
inline Handle make_dataset(hid_t id) {
    return Handle(id, H5Dclose);
}
inline Handle make_dataspace(hid_t id) {
    return Handle(id, H5Sclose);
}
inline Handle make_datatype(hid_t id) {
    return Handle(id, H5Tclose);
}
inline Handle make_attribute(hid_t id) {
    return Handle(id, H5Aclose);
}
inline Handle make_plist(hid_t id) {
    return Handle(id, H5Pclose);
}

// Opens the group `name` inside `parent`; UserError naming `where` when it is missing or unreadable.
Handle open_group(hid_t parent, const std::string& name, const std::string& where);

// Creates the group `name` inside `parent`.
Handle create_group(hid_t parent, const std::string& name);

// True when `name` is a link directly inside `location` (no error when it is not).
bool link_exists(hid_t location, const std::string& name);

// The names of the links directly inside `group`, in creation order when the group tracks
// it, else in name order.
std::vector<std::string> link_names(hid_t group, const std::string& where);

// A UTF-8 variable-length string type, owned.
Handle vlen_string_type();

}  // namespace tapegrid::h5
