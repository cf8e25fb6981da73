/* version.h — the release version, one place. */
#ifndef CERTBOARD_VERSION_H
#define CERTBOARD_VERSION_H
#define CERTBOARD_VERSION "0.1.0"
#endif
