// Debian's libzip-dev installs libzip's header (and the zipconf.h it includes) here.
#include <zip.h>
