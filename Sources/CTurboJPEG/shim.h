// Debian's libturbojpeg0-dev installs libjpeg-turbo's TurboJPEG API header here.
#include <turbojpeg.h>
