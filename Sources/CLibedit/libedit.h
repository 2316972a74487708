// libedit's own API (histedit.h), not its readline compatibility layer.
#include <histedit.h>
