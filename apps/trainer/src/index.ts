export { main, type MainIo } from './main';
