// The built-in catalog's bytes, embedded when Tally is built, so the binary
// carries its prices with it and needs no resource files beside it.
#include "CTallyCatalog.h"

#pragma clang diagnostic ignored "-Wc23-extensions"

static const unsigned char catalog[] = {
#embed "../TallyKit/Catalog/bedrock.tally"
};

const unsigned char *tally_builtin_catalog(unsigned long *count) {
    *count = sizeof(catalog);
    return catalog;
}
