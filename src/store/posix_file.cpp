#include "posix_file.hpp"

#include <fcntl.h>
#include <signal.h>

#include <cerrno>

namespace contextweaver::store_detail {

int sole_open(int fd) {
  // The kernel grants a write lease only when no other open file description
  // (of any process) refers to the file. It is released at once: the check is
  // all we need, and a lease held across ftruncate/fsync could conflict with
  // ourselves. Should another program open the file in between, the lease
  // break would signal us with SIGIO, whose default action terminates the
  // process; F_SETSIG makes it SIGURG, which is ignored by default.
  if (::fcntl(fd, F_SETSIG, SIGURG) != 0) return errno;
  if (::fcntl(fd, F_SETLEASE, F_WRLCK) != 0) return errno;
  ::fcntl(fd, F_SETLEASE, F_UNLCK);
  return 0;
}

}  // namespace contextweaver::store_detail
