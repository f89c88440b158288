import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import devConfig from './dev';
import prodConfig from './prod';

const repoRoot = path.resolve(__dirname, '..', '..');

/**
 * The build target from the command line (`taro build --type h5`). Taro reads this config before it sets
 * TARO_ENV, and cleans the output folder it finds then: reading TARO_ENV alone made an H5 build wipe dist/weapp.
 */
function buildTarget(): string {
  const i = process.argv.indexOf('--type');
  const fromArgv = i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith('--type='))?.slice('--type='.length);
  return fromArgv ?? process.env.TARO_ENV ?? 'weapp';
}
const sharedDir = path.join(repoRoot, 'shared');
// Taro's own inline limit for images (@tarojs/runner-utils IMAGE_LIMIT), kept for everything but map icons.
const INLINE_IMAGE_LIMIT = 2 * 1024;
const MAP_ICONS = /[\\/]src[\\/]assets[\\/]map[\\/]/;

/**
 * One Taro config for both targets. Each target has its own output folder (dist/weapp, dist/h5) so one
 * build never wipes the other. The root shared/ folder (zod schemas, error codes, roles) is compiled in
 * through the @shared alias.
 */
export default defineConfig<'webpack5'>(async (merge) => {
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'rongmei-community',
    date: '2026-12-02',
    // NutUI React Taro is drawn at 375; our own styles at 750.
    designWidth: (input: unknown) => {
      const file = typeof input === 'object' && input !== null ? String((input as { file?: string }).file ?? '') : '';
      return file.replace(/\\+/g, '/').includes('@nutui') ? 375 : 750;
    },
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${buildTarget()}`,
    plugins: [],
    defineConstants: {},
    alias: {
      '@shared': sharedDir,
      '@': path.resolve(__dirname, '..', 'src'),
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: true },
    mini: {
      compile: { include: [sharedDir] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
      optimizeMainPackage: { enable: true },
      // Our styles and NutUI's per-component sheets meet in the common chunk; their order doesn't matter.
      miniCssExtractPluginOption: { ignoreOrder: true },
      webpackChain(chain) {
        // WeChat's <map> draws a marker's iconPath only from a file in the package (or a URL), never from the
        // data: URI webpack inlines small images as: keep the map's icons (assets/map) as files.
        chain.module.rule('image').parser({
          dataUrlCondition: (source: Buffer, { filename }: { filename: string }) =>
            !MAP_ICONS.test(filename) && source.length <= INLINE_IMAGE_LIMIT,
        });
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      compile: { include: [sharedDir] },
      esnextModules: ['@nutui'],
      output: { filename: 'js/[name].[hash:8].js', chunkFilename: 'js/[name].[chunkhash:8].js' },
      miniCssExtractPluginOption: { ignoreOrder: true, filename: 'css/[name].[hash].css', chunkFilename: 'css/[name].[chunkhash].css' },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
      devServer: {
        host: '127.0.0.1',
        port: 10086,
        proxy: [{ context: ['/api', '/uploads', '/__h5-config.json'], target: process.env.API_ORIGIN ?? 'http://127.0.0.1:3000' }],
      },
    },
  };
  return process.env.NODE_ENV === 'development' ? merge({}, baseConfig, devConfig) : merge({}, baseConfig, prodConfig);
});
