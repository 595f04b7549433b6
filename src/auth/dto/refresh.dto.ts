import { IsString, Length } from 'class-validator';

export class RefreshDto {
  /** The refresh token from the last Session response. @example "q3J4Xv0cW2l9dZr8b1Yk5n6Tt7Hs0PaLm2Ee4Ff6Gg8" */
  @IsString()
  @Length(1, 512)
  refresh_token: string;
}
