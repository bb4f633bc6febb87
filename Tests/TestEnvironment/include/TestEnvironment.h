// The test environment's settings are made by a load-time constructor (fixed_algorithms.c);
// nothing is called from here.
