// The file-backed stores' POSIX check that a rewrite is safe (the owning
// descriptor and whole reads/writes are core/posix_file.hpp).
#pragma once

namespace contextweaver::store_detail {

// Whether `fd` (opened for writing) is the only open file description of its
// file, so that rewriting it cannot change bytes another reader is reading:
// 0 when it is, else an errno value — EAGAIN when another opener exists,
// EINVAL when the file system (or the system) grants no leases, EACCES when
// the file is not ours.
int sole_open(int fd);

}  // namespace contextweaver::store_detail
