import { AppError } from '../../../shared/errors'

/** What a person sees when a pool they asked about is not (or no longer) in the list. */
export function poolNotFound(): AppError {
  return new AppError(
    'NotFound',
    'This pool was not found in your chosen subscriptions. It may have been deleted.',
  )
}
