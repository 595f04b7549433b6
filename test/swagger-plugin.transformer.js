// Applies the @nestjs/swagger CLI plugin under ts-jest, as `nest build` does,
// so the tests see the same OpenAPI document as `npm run openapi` writes.
const plugin = require('@nestjs/swagger/plugin');
const options = require('../nest-cli.json').compilerOptions.plugins.find((p) => p.name === '@nestjs/swagger').options;

module.exports.name = 'nestjs-swagger-transformer';
module.exports.version = 1;
module.exports.factory = (compiler) => plugin.before(options, compiler.program);
