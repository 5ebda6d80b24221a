/* Compiled by the "native" build stage of the Dockerfile; the final image gets only the binary. */
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("Hello from C, compiled by a RUN step in a build stage (%s)\n", argc > 1 ? argv[1] : "no argument");
    return 0;
}
