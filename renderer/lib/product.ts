export const productName = 'DSVM Pool Manager'
