/* dep.c - a library that the needsdep stage links and that is never installed,
 * so loading that stage fails for a reason the loader must name. */
int qp_test_dependency(void);

int qp_test_dependency(void)
{
    return 42;
}
