/* no_symbol.c - a module that exports no qualpipe descriptor, which the loader
 * must refuse by naming the missing symbol. */
int qualpipe_test_not_a_descriptor(void);

int qualpipe_test_not_a_descriptor(void)
{
    return 0;
}
