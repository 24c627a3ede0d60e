export * from '../../manifest/shape';
