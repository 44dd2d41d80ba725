#ifndef CTALLYCATALOG_H
#define CTALLYCATALOG_H

/// The built-in price catalog (Sources/TallyKit/Catalog/bedrock.tally),
/// compiled into the binary: its bytes, and their count in `count`.
const unsigned char *tally_builtin_catalog(unsigned long *count);

#endif
