// Debian's libspng-dev installs libspng's one header here.
#include <spng.h>
