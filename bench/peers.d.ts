// spark-md5 ships no type declarations; bench/impls.ts types the part the benchmark uses.
declare module "spark-md5";
